package fake

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFailStatuses checks that random faults answer only the statuses asked
// for, and both defaults otherwise.
func TestFailStatuses(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int
		want     map[int]bool
	}{
		// The default mixes 500 and 503.
		{"default", nil, map[int]bool{500: true, 503: true}},
		// Random 503s alone, the noise a flaky service makes.
		{"503 only", []int{503}, map[int]bool{503: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{Leads: 100, FailRate: 1, FailStatuses: tt.statuses, Seed: 4})
			got := map[int]bool{}
			for i := 1; i <= 40; i++ {
				got[f.do(http.MethodPost, "/rest/leads/"+strconv.Itoa(i)+"-leads/status", closeBody).status] = true
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("statuses seen %v, want %v", got, tt.want)
			}
			if n := f.s.Stats().Applied; n != 0 {
				t.Errorf("%d updates applied, want none", n)
			}
		})
	}
}

// TestFailStatusesKeepOtherDraws checks that naming the fail statuses does
// not reshuffle which requests fail: a seed gives the same faults.
func TestFailStatusesKeepOtherDraws(t *testing.T) {
	failing := func(o Options) []bool {
		var out []bool
		for seq := range int64(200) {
			f := decide(&o, seq)
			out = append(out, f.fail)
		}
		return out
	}
	base := Options{Seed: 9, FailRate: 0.3}
	only := base
	only.FailStatuses = []int{503}
	if !reflect.DeepEqual(failing(base), failing(only)) {
		t.Error("FailStatuses changed which requests fail")
	}
}

// TestLimitStatus checks that the hidden limit can answer 503 instead of 429.
func TestLimitStatus(t *testing.T) {
	tests := []struct {
		name   string
		status int
		want   int
	}{
		{"default", 0, http.StatusTooManyRequests},                            // as the live service does
		{"503", http.StatusServiceUnavailable, http.StatusServiceUnavailable}, // a service that sheds load
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{RateLimit: 0.001, RateBurst: 1, LimitStatus: tt.status})
			var got []int
			for range 3 {
				got = append(got, f.do(http.MethodGet, "/rest/outcomes", "").status)
			}
			if want := []int{200, tt.want, tt.want}; !reflect.DeepEqual(got, want) {
				t.Errorf("statuses = %v, want %v", got, want)
			}
		})
	}
}

func TestOptionsCheck(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string // "" = accepted
	}{
		{"zero value", Options{}, ""}, // no faults
		{"every knob in range", Options{FailRate: 1, FailStatuses: []int{503}, LimitStatus: 503, RateLimit: 20}, ""}, // the test scenarios
		{"share above one", Options{FailRate: 1.5}, "fail rate 1.5"},                                                 // a percentage typed as 15 is caught
		{"negative share", Options{SlowRate: -0.1}, "slow rate -0.1"},                                                // never a negative share
		{"negative limit", Options{RateLimit: -1}, "rate limit -1"},                                                  // 0 means none
		{"negative burst", Options{RateBurst: -2}, "rate burst -2"},                                                  // a bucket has a size
		{"negative window", Options{RateLimit: 1, RateWindow: -time.Second}, "rate window"},                          // a window has a length
		{"window allows nothing", Options{RateLimit: 0.5, RateWindow: time.Second}, "allows no request"},             // 0.5 a second over 1 s
		{"negative latency", Options{Latency: -time.Second}, "latency"},                                              // time runs forward
		{"limit status not 429 or 503", Options{LimitStatus: 500}, "limit status 500"},                               // a limit says "slow down"
		{"fail status not 5xx", Options{FailStatuses: []int{503, 404}}, "fail status 404"},                           // a 404 is no fault
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Check()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Check() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Check() = %v, want an error naming %q", err, tt.want)
			}
		})
	}
}
