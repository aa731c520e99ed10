package bench

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// paced returns n POSTs arriving every interval, answered status.
func paced(n int, interval time.Duration, status int) []fake.Request {
	t0 := time.Unix(1_700_000_000, 0)
	out := make([]fake.Request, n)
	for i := range out {
		out[i] = fake.Request{Time: t0.Add(time.Duration(i) * interval), Method: http.MethodPost, Status: status}
	}
	return out
}

// waves returns rounds of w POSTs arriving together every latency, as w
// workers each waiting latency for an answer send them.
func waves(rounds, w int, latency time.Duration) []fake.Request {
	t0 := time.Unix(1_700_000_000, 0)
	var out []fake.Request
	for r := 0; r < rounds; r++ {
		for i := 0; i < w; i++ {
			out = append(out, fake.Request{Time: t0.Add(time.Duration(r) * latency), Method: http.MethodPost, Status: http.StatusOK})
		}
	}
	return out
}

func TestRates(t *testing.T) {
	mixed := paced(10, 50*time.Millisecond, http.StatusOK)
	mixed[3].Status = http.StatusTooManyRequests
	mixed[0].Method = http.MethodGet
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"paced 20/s gives 20", Analyze(paced(601, 50*time.Millisecond, http.StatusOK)).PacedRate(), 20},                    // (c)
		{"16 workers at 50 ms give 320", Analyze(waves(200, 16, 50*time.Millisecond)).PostRate(50 * time.Millisecond), 320}, // (b)
		{"no latency: updates over their span", Analyze(paced(1001, time.Millisecond, http.StatusOK)).PostRate(0), 1001},    // (a)
		{"429s are not accepted", Analyze(mixed).AcceptedRate(), 8 / 0.45},                                                  // (e)
		{"429 share counts every request", Analyze(mixed).TooManyShare(), 0.1},                                              // (e)
		{"one request has no rate", Analyze(paced(1, time.Second, http.StatusOK)).PacedRate(), 0},                           // no division by zero
		{"no requests, no share", Analyze(nil).TooManyShare(), 0},                                                           // no division by zero
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-9*math.Max(1, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestAnalyzeCounts(t *testing.T) {
	reqs := paced(5, time.Millisecond, http.StatusOK)
	reqs[0].Method = http.MethodGet
	reqs[1].Status = http.StatusTooManyRequests
	reqs[2].Status = fake.StatusNoResponse
	got := Analyze(reqs)
	want := Traffic{Requests: 5, Posts: 4, TooMany: 1, Accepted: 3,
		First: reqs[0].Time, Last: reqs[4].Time, FirstPost: reqs[1].Time, LastPost: reqs[4].Time}
	if got != want {
		t.Errorf("Analyze = %+v, want %+v", got, want)
	}
}

func TestReached(t *testing.T) {
	// slow then fast: 10 requests 200 ms apart, then 40 requests 50 ms apart.
	ramp := append(paced(10, 200*time.Millisecond, http.StatusOK), paced(40, 50*time.Millisecond, http.StatusOK)...)
	for i := 10; i < len(ramp); i++ {
		ramp[i].Time = ramp[9].Time.Add(time.Duration(i-9) * 50 * time.Millisecond)
	}
	tests := []struct {
		name   string
		reqs   []fake.Request
		n      int
		want   time.Duration
		wantOK bool
	}{
		{"steady 20/s", paced(40, 50*time.Millisecond, http.StatusOK), 20, 0, true},   // there from the start
		{"ramp", ramp, 20, 1800 * time.Millisecond, true},                             // the first window of 20 begins at the last slow request
		{"never", paced(40, 100*time.Millisecond, http.StatusOK), 20, 0, false},       // 10/s never holds 20 in a second
		{"too few requests", paced(5, time.Millisecond, http.StatusOK), 20, 0, false}, // fewer requests than asked
	}
	for _, tt := range tests {
		got, ok := Reached(tt.reqs, tt.n)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: Reached = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}
