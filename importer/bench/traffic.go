package bench

import (
	"net/http"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// Traffic summarises what the fake API received during one scenario.
type Traffic struct {
	Requests    int // every request
	Posts       int // status updates (POST)
	TooMany     int // answered 429
	Unavailable int // answered 503
	Accepted    int // answered neither 429 nor 503, nor left unanswered
	First       time.Time
	Last        time.Time // arrival of the last request
	FirstPost   time.Time
	LastPost    time.Time
}

// Analyze summarises a request record (fake.Server.Requests).
func Analyze(reqs []fake.Request) Traffic {
	var t Traffic
	for _, r := range reqs {
		if t.Requests == 0 {
			t.First = r.Time
		}
		t.Requests++
		t.Last = r.Time
		switch r.Status {
		case http.StatusTooManyRequests:
			t.TooMany++
		case http.StatusServiceUnavailable:
			t.Unavailable++
		case fake.StatusNoResponse, fake.StatusClientClosed:
		default:
			t.Accepted++
		}
		if r.Method == http.MethodPost {
			if t.Posts == 0 {
				t.FirstPost = r.Time
			}
			t.Posts++
			t.LastPost = r.Time
		}
	}
	return t
}

// PacedRate is the rate of a paced stream of requests: n requests spaced
// 1/r apart span (n-1)/r, so this gives r back exactly.
func (t Traffic) PacedRate() float64 {
	span := t.Last.Sub(t.First).Seconds()
	if t.Requests < 2 || span <= 0 {
		return 0
	}
	return float64(t.Requests-1) / span
}

// AcceptedRate is the rate of requests the server accepted (not 429 or 503) over
// the span of all arrivals: what a rate-limited run really got done.
func (t Traffic) AcceptedRate() float64 {
	span := t.Last.Sub(t.First).Seconds()
	if t.Accepted < 2 || span <= 0 {
		return 0
	}
	return float64(t.Accepted-1) / span
}

// PostRate is the rate of status updates from the first update's arrival to
// the last one's answer, taken as its arrival plus latency: n updates, w at a
// time, each taking latency, give w/latency back exactly.
func (t Traffic) PostRate(latency time.Duration) float64 {
	span := t.LastPost.Sub(t.FirstPost) + latency
	if t.Posts == 0 || span <= 0 {
		return 0
	}
	return float64(t.Posts) / span.Seconds()
}

// TooManyShare is the share of requests answered 429.
func (t Traffic) TooManyShare() float64 {
	if t.Requests == 0 {
		return 0
	}
	return float64(t.TooMany) / float64(t.Requests)
}

// UnavailableShare is the share of requests answered 503.
func (t Traffic) UnavailableShare() float64 {
	if t.Requests == 0 {
		return 0
	}
	return float64(t.Unavailable) / float64(t.Requests)
}

// Reached returns how long after the first request the first one-second
// window began that held n requests: when a run paced toward n per second
// got there. ok is false if no second held n.
func Reached(reqs []fake.Request, n int) (d time.Duration, ok bool) {
	if n < 1 || len(reqs) < n {
		return 0, false
	}
	for i := n - 1; i < len(reqs); i++ {
		start := reqs[i-n+1].Time
		if reqs[i].Time.Sub(start) < time.Second {
			return start.Sub(reqs[0].Time), true
		}
	}
	return 0, false
}
