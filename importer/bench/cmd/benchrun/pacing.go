package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// Targets of the rate-control scenarios.
const (
	minNoiseRows10  = 15.0 // rows/s with 10% random 503s at --rate 20
	minNoiseRows30  = 10.0 // rows/s with 30% random 503s
	minShedShare    = 0.85 // of a hidden limit that answers 503
	maxUnavailable  = 0.05 // share of requests answered 503 by that limit
	farCeiling      = 100  // --rate far above the hidden limit
	nearCeiling     = 40
	noiseSeed       = 11
	maxReachSeconds = 3.0 // --rate 20 with no limit reaches 20/s
)

// noise measures (f): random 503s and no limit at the default --rate 20. A
// 503 that comes at any rate is not a reason to slow down.
func (s *suite) noise(ctx context.Context) error {
	const sec = "random 503s, no limit (--rate 20)"
	input := s.path("noise.csv")
	if err := bench.WriteCSV(input, s.cfg.noiseReq); err != nil {
		return err
	}
	for _, c := range []struct {
		share, target float64
	}{{0.1, minNoiseRows10}, {0.3, minNoiseRows30}} {
		r, err := s.send(ctx, input, fake.Options{FailRate: c.share, FailStatuses: []int{http.StatusServiceUnavailable}, Seed: noiseSeed})
		if err != nil {
			return err
		}
		rows := float64(s.cfg.noiseReq) / r.usage.Wall.Seconds()
		s.table.Add(bench.Row{Section: sec,
			Measure: fmt.Sprintf("(f) %.0f%% of requests answered 503 at random, %d rows: rows/s (wall)", 100*c.share, s.cfg.noiseReq),
			Value: fmt.Sprintf("%.1f (%.1f s; %d succeeded, %d failed; %d requests, %d answered 503; final rate %.1f)",
				rows, r.usage.Wall.Seconds(), r.succeeded(), r.summary.Results[string(report.Failed)], r.traffic.Requests, r.traffic.Unavailable, r.summary.FinalRate),
			Target: fmt.Sprintf("≥ %.0f", c.target), Verdict: bench.AtLeast(rows, c.target)})
	}
	return nil
}

// slowStart measures (g): --rate 100 against a hidden limit of 20 req/s,
// burst 1, no Retry-After: the start must not overshoot, the run must settle
// near the limit.
func (s *suite) slowStart(ctx context.Context) error {
	const sec = "slow start (--rate 100, hidden limit 20 req/s, burst 1, no Retry-After)"
	short, long := s.path("slow-start.csv"), s.path("sustain.csv")
	if err := bench.WriteCSV(short, s.cfg.slowStartReq); err != nil {
		return err
	}
	if err := bench.WriteCSV(long, s.cfg.sustainReq); err != nil {
		return err
	}
	o := fake.Options{RateLimit: hiddenLimit, RateBurst: 1}
	r, err := s.send(ctx, short, o, "--rate", fmt.Sprint(farCeiling))
	if err != nil {
		return err
	}
	s.slowedRow(sec, fmt.Sprintf("(g) %d rows", s.cfg.slowStartReq), http.StatusTooManyRequests, r.traffic.TooMany, r.traffic.TooManyShare(), r.traffic.Requests, maxTooManyShare)
	r, err = s.send(ctx, long, o, "--rate", fmt.Sprint(farCeiling))
	if err != nil {
		return err
	}
	share := r.traffic.AcceptedRate() / hiddenLimit
	s.table.Add(bench.Row{Section: sec, Measure: fmt.Sprintf("(g) %d rows: accepted req/s ÷ 20", s.cfg.sustainReq),
		Value: fmt.Sprintf("%.3f (%.2f req/s; %.1f%% answered 429; %d of %d rows succeeded; %.1f s wall)",
			share, r.traffic.AcceptedRate(), 100*r.traffic.TooManyShare(), r.succeeded(), s.cfg.sustainReq, r.usage.Wall.Seconds()),
		Target: fmt.Sprintf("≥ %.2f", minLimitShare), Verdict: bench.AtLeast(share, minLimitShare)})
	return nil
}

// shed measures (h): a hidden limit of 20 req/s that answers 503, not 429,
// with ceilings 40 and 100. Not in the default suite: two 2,000-row runs at
// 20 req/s take over three minutes.
func (s *suite) shed(ctx context.Context) error {
	const sec = "hidden limit 20 req/s answered with 503 (burst 1)"
	input := s.path("shed.csv")
	if err := bench.WriteCSV(input, s.cfg.sustainReq); err != nil {
		return err
	}
	for _, ceiling := range []int{nearCeiling, farCeiling} {
		r, err := s.send(ctx, input, fake.Options{RateLimit: hiddenLimit, RateBurst: 1, LimitStatus: http.StatusServiceUnavailable}, "--rate", fmt.Sprint(ceiling))
		if err != nil {
			return err
		}
		label := fmt.Sprintf("(h) --rate %d, %d rows", ceiling, s.cfg.sustainReq)
		s.limitShareRow(sec, label, r, s.cfg.sustainReq, minShedShare)
		s.slowedRow(sec, label, http.StatusServiceUnavailable, r.traffic.Unavailable, r.traffic.UnavailableShare(), r.traffic.Requests, maxUnavailable)
	}
	return nil
}

// limitShareRow adds how much of the hidden limit a run of rows sustained.
func (s *suite) limitShareRow(sec, label string, r sendResult, rows int, minShare float64) {
	share := r.traffic.AcceptedRate() / hiddenLimit
	s.table.Add(bench.Row{Section: sec, Measure: label + ": accepted req/s ÷ 20",
		Value: fmt.Sprintf("%.3f (%.2f req/s; %d of %d rows succeeded; final rate %.1f; %.1f s wall)",
			share, r.traffic.AcceptedRate(), r.succeeded(), rows, r.summary.FinalRate, r.usage.Wall.Seconds()),
		Target: fmt.Sprintf("≥ %.2f", minShare), Verdict: bench.AtLeast(share, minShare)})
}

// slowedRow adds the share of requests the hidden limit answered with status
// (429, or 503 for a limit that answers so).
func (s *suite) slowedRow(sec, label string, status, answered int, share float64, requests int, maxShare float64) {
	s.table.Add(bench.Row{Section: sec, Measure: fmt.Sprintf("%s: share of requests answered %d", label, status),
		Value:  fmt.Sprintf("%.1f%% (%d of %d)", 100*share, answered, requests),
		Target: fmt.Sprintf("≤ %.0f%%", 100*maxShare), Verdict: bench.AtMost(share, maxShare)})
}
