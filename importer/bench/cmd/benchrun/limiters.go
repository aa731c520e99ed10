package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/fake"
)

// Targets of the limiter shapes.
const (
	limitWindow   = time.Minute
	maxWindowOver = 0.05 // the run's length over what the windows allow
)

// bursts measures (i): token buckets of 20 req/s whose burst is the rate
// and five times it, with ceilings 40 and 100: ≤ 3% answered 429 over the
// short run, ≥ 90% of the limit over the long one (burst = rate, --rate 100).
func (s *suite) bursts(ctx context.Context) error {
	const sec = "token buckets with a burst (hidden limit 20 req/s, no Retry-After)"
	short, long := s.path("bursts.csv"), s.path("bursts-long.csv")
	if err := bench.WriteCSV(short, s.cfg.slowStartReq); err != nil {
		return err
	}
	if err := bench.WriteCSV(long, s.cfg.sustainReq); err != nil {
		return err
	}
	for _, times := range []int{1, 5} {
		o := fake.Options{RateLimit: hiddenLimit, RateBurst: times * int(hiddenLimit)}
		for _, ceiling := range []int{nearCeiling, farCeiling} {
			r, err := s.send(ctx, short, o, "--rate", fmt.Sprint(ceiling))
			if err != nil {
				return err
			}
			label := fmt.Sprintf("(i) burst %d, --rate %d, %d rows", o.RateBurst, ceiling, s.cfg.slowStartReq)
			s.slowedRow(sec, label, http.StatusTooManyRequests, r.traffic.TooMany, r.traffic.TooManyShare(), r.traffic.Requests, maxTooManyShare)
		}
	}
	o := fake.Options{RateLimit: hiddenLimit, RateBurst: int(hiddenLimit)}
	r, err := s.send(ctx, long, o, "--rate", fmt.Sprint(farCeiling))
	if err != nil {
		return err
	}
	label := fmt.Sprintf("(i) burst %d, --rate %d, %d rows", o.RateBurst, farCeiling, s.cfg.sustainReq)
	s.limitShareRow(sec, label, r, s.cfg.sustainReq, minLimitShare)
	s.slowedRow(sec, label, http.StatusTooManyRequests, r.traffic.TooMany, r.traffic.TooManyShare(), r.traffic.Requests, maxTooManyShare)
	return nil
}

// window measures (j): 20 req/s counted per fixed one-minute window
// (1,200 a minute), answered 429 with Retry-After until the window ends,
// --rate 100: at most one 429 per worker in flight in each window, and the
// run within 5% of the time the windows allow.
func (s *suite) window(ctx context.Context) error {
	const sec = "fixed one-minute window (20 req/s, 1,200 a minute, 429 with Retry-After)"
	input := s.path("window.csv")
	if err := bench.WriteCSV(input, s.cfg.windowReq); err != nil {
		return err
	}
	r, err := s.send(ctx, input, fake.Options{RateLimit: hiddenLimit, RateWindow: limitWindow}, "--rate", fmt.Sprint(farCeiling))
	if err != nil {
		return err
	}
	// The fake's windows count from its start; leadstatus's first request
	// comes a moment later, so each window's refusals are grouped by
	// whole minutes from the first request.
	perWindow := map[int64]int{}
	for _, q := range r.reqs {
		if q.Status == http.StatusTooManyRequests {
			perWindow[int64(q.Time.Sub(r.traffic.First)/limitWindow)]++
		}
	}
	most := 0
	for _, n := range perWindow {
		most = max(most, n)
	}
	label := fmt.Sprintf("(j) --rate %d, %d workers, %d rows", farCeiling, workers, s.cfg.windowReq)
	s.table.Add(bench.Row{Section: sec, Measure: label + ": most 429s in one window",
		Value:  fmt.Sprintf("%d (%d of %d requests in %d windows; %d of %d rows succeeded)", most, r.traffic.TooMany, r.traffic.Requests, len(perWindow), r.succeeded(), s.cfg.windowReq),
		Target: fmt.Sprintf("≤ %d (the workers)", workers), Verdict: bench.AtMost(float64(most), workers)})
	// The windows allow: every full minute's budget, then the rest at the
	// ceiling, timed from the first request to the last answer.
	budget := int(hiddenLimit * limitWindow.Seconds())
	full := (s.cfg.windowReq - 1) / budget
	allows := time.Duration(full)*limitWindow + time.Duration(float64(s.cfg.windowReq-full*budget)/farCeiling*float64(time.Second))
	took := r.traffic.Last.Sub(r.traffic.First)
	over := took.Seconds()/allows.Seconds() - 1
	s.table.Add(bench.Row{Section: sec, Measure: label + ": first to last request vs what the windows allow",
		Value:  fmt.Sprintf("%.1f s vs %.1f s (%+.1f%%)", took.Seconds(), allows.Seconds(), 100*over),
		Target: fmt.Sprintf("≤ +%.0f%%", 100*maxWindowOver), Verdict: bench.AtMost(over, maxWindowOver)})
	return nil
}
