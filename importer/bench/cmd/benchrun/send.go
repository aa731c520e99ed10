package main

import (
	"context"
	"fmt"
	"time"

	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// Targets of the throughput measurements.
const (
	latency       = 50 * time.Millisecond
	workers       = 16
	minConcurrent = 0.97 // achieved ÷ workers/latency
	paceRate      = 20.0
	paceTolerance = 0.02
	paceBurst     = 1 // --burst, leadstatus's default
	failRate      = 0.1
	// noLimit is a --rate far above anything loopback can carry.
	noLimit = "1000000"
)

// sendResult is one real run against the fake: the process's cost, its
// summary, and what the fake saw.
type sendResult struct {
	leadstatusRun
	traffic bench.Traffic
	stats   fake.Stats
	reqs    []fake.Request
}

func (r sendResult) succeeded() int { return r.summary.Results[string(report.Succeeded)] }

// send runs leadstatus on input against a fresh fake with options o.
func (s *suite) send(ctx context.Context, input string, o fake.Options, extra ...string) (sendResult, error) {
	if o.Leads == 0 {
		o.Leads = 10_000_000
	}
	f, err := bench.StartFake(ctx, o)
	if err != nil {
		return sendResult{}, err
	}
	r, runErr := s.runLeadstatus(ctx, input, s.path("send-report.csv"), f.Env(), extra...)
	reqs := f.Server.Requests()
	res := sendResult{leadstatusRun: r, traffic: bench.Analyze(reqs), stats: f.Server.Stats(), reqs: reqs}
	if err := f.Close(); err != nil && runErr == nil {
		runErr = err
	}
	return res, runErr
}

// throughput measures (a) to (d): speed with no latency, concurrency under
// latency, keeping to --rate, and the cost of injected 5xx answers.
func (s *suite) throughput(ctx context.Context) error {
	const sec = "throughput vs fake (loopback)"
	inA, inB, inC := s.path("send-a.csv"), s.path("send-b.csv"), s.path("send-c.csv")
	for _, f := range []struct {
		path string
		n    int
	}{{inA, s.cfg.requests}, {inB, s.cfg.latencyReq}, {inC, s.cfg.rateReq}} {
		if err := bench.WriteCSV(f.path, f.n); err != nil {
			return err
		}
	}

	// (a) No latency, no limit: what the tool itself costs per request.
	a, err := s.send(ctx, inA, fake.Options{}, "--workers", fmt.Sprint(workers), "--rate", noLimit)
	if err != nil {
		return err
	}
	s.note(sec, fmt.Sprintf("(a) no latency, --rate %s, %d workers, %d updates", noLimit, workers, s.cfg.requests),
		fmt.Sprintf("%s updates/s (first to last update); %d of %d rows succeeded; %.2f s wall", thousands(int(a.traffic.PostRate(0))), a.succeeded(), s.cfg.requests, a.usage.Wall.Seconds()))
	s.note(sec, "(a) CPU time per request of the leadstatus process",
		fmt.Sprintf("%.0f µs (%.2f s user+sys ÷ %d requests incl. %d reads)", perRequest(a.usage.CPU(), a.traffic.Requests), a.usage.CPU().Seconds(), a.traffic.Requests, a.traffic.Requests-a.traffic.Posts))
	s.a = a

	b, err := s.concurrency(ctx, sec, inB)
	if err != nil {
		return err
	}
	if err := s.pacing(ctx, sec, inC); err != nil {
		return err
	}

	// (d) As (b), with 10% of updates answered 500/503.
	d, err := s.send(ctx, inB, fake.Options{Latency: latency, FailRate: failRate, Seed: 7}, "--workers", fmt.Sprint(workers), "--rate", noLimit)
	if err != nil {
		return err
	}
	s.note(sec, fmt.Sprintf("(d) as (b) with %.0f%% injected 500/503: wall time vs fault-free (b)", 100*failRate),
		fmt.Sprintf("%.2f s vs %.2f s (×%.2f); %d of %d succeeded, %d failed; %d requests for %d updates",
			d.usage.Wall.Seconds(), b.usage.Wall.Seconds(), d.usage.Wall.Seconds()/b.usage.Wall.Seconds(),
			d.succeeded(), s.cfg.latencyReq, d.summary.Results[string(report.Failed)], d.traffic.Requests, s.cfg.latencyReq))
	return nil
}

// concurrency measures (b): under latency, are the workers kept busy, with
// the slow start and without.
func (s *suite) concurrency(ctx context.Context, sec, inB string) (sendResult, error) {
	// (b) 50 ms latency, 16 workers, rate far above: are the workers kept busy?
	b, err := s.send(ctx, inB, fake.Options{Latency: latency}, "--workers", fmt.Sprint(workers), "--rate", noLimit)
	if err != nil {
		return sendResult{}, err
	}
	ideal := float64(workers) / latency.Seconds()
	got := b.traffic.PostRate(latency)
	s.table.Add(bench.Row{Section: sec,
		Measure: fmt.Sprintf("(b) %s latency, %d workers, %d updates: achieved ÷ %.0f/s", latency, workers, s.cfg.latencyReq, ideal),
		Value:   fmt.Sprintf("%.3f (%.1f updates/s; %d of %d succeeded; %.2f s wall)", got/ideal, got, b.succeeded(), s.cfg.latencyReq, b.usage.Wall.Seconds()),
		Target:  fmt.Sprintf("≥ %.2f", minConcurrent), Verdict: bench.AtLeast(got/ideal, minConcurrent)})

	// (b) again without the slow start: the workers alone.
	b2, err := s.send(ctx, inB, fake.Options{Latency: latency}, "--workers", fmt.Sprint(workers), "--rate", noLimit, "--start-rate", noLimit)
	if err != nil {
		return sendResult{}, err
	}
	got2 := b2.traffic.PostRate(latency)
	s.table.Add(bench.Row{Section: sec,
		Measure: fmt.Sprintf("(b) same with --start-rate %s (no slow start): achieved ÷ %.0f/s", noLimit, ideal),
		Value:   fmt.Sprintf("%.3f (%.1f updates/s; %d of %d succeeded; %.2f s wall)", got2/ideal, got2, b2.succeeded(), s.cfg.latencyReq, b2.usage.Wall.Seconds()),
		Target:  fmt.Sprintf("≥ %.2f", minConcurrent), Verdict: bench.AtLeast(got2/ideal, minConcurrent)})
	// (b) the floor: the same updates from as many goroutines with the bare
	// client, against a fresh fake with the same latency. What it loses
	// the machine, the loopback and the fake lose; the rest is the pool's.
	fl, flUsage, err := s.poolFloor(ctx, fake.Options{Latency: latency})
	if err != nil {
		return sendResult{}, err
	}
	gotFloor := fl.PostRate(latency)
	s.note(sec, fmt.Sprintf("(b) floor: %d goroutines posting the same %d updates with the bare client (no pacer, pipeline or report): achieved ÷ %.0f/s", workers, s.cfg.latencyReq, ideal),
		fmt.Sprintf("%.3f (%.1f updates/s; %.0f µs CPU a request, leadstatus %.0f µs); the pool without the ramp reaches %.3f of it",
			gotFloor/ideal, gotFloor, perRequest(flUsage.CPU(), fl.Requests), perRequest(b2.usage.CPU(), b2.traffic.Requests), got2/gotFloor))
	s.note(sec, "(b) the slow start's cost: first to last update, with the ramp minus without",
		fmt.Sprintf("%+.2f s (%.2f s vs %.2f s)", (b.traffic.LastPost.Sub(b.traffic.FirstPost)-b2.traffic.LastPost.Sub(b2.traffic.FirstPost)).Seconds(),
			b.traffic.LastPost.Sub(b.traffic.FirstPost).Seconds(), b2.traffic.LastPost.Sub(b2.traffic.FirstPost).Seconds()))
	return b, nil
}

// pacing measures (c): --rate kept to, never a second above rate + burst,
// with the slow start and without.
func (s *suite) pacing(ctx context.Context, sec, inC string) error {
	// (c) --rate 20: kept to, and never a second above rate + burst.
	c, err := s.send(ctx, inC, fake.Options{}, "--rate", fmt.Sprint(paceRate), "--burst", fmt.Sprint(paceBurst))
	if err != nil {
		return err
	}
	rate := c.traffic.PacedRate()
	s.table.Add(bench.Row{Section: sec,
		Measure: fmt.Sprintf("(c) --rate %.0f, %d updates: achieved rate (all %d requests, first to last)", paceRate, s.cfg.rateReq, c.traffic.Requests),
		Value:   fmt.Sprintf("%.2f req/s; %d of %d succeeded", rate, c.succeeded(), s.cfg.rateReq),
		Target:  fmt.Sprintf("%.0f ± %.0f%%", paceRate, 100*paceTolerance), Verdict: bench.Within(rate, paceRate, paceTolerance)})
	s.table.Add(bench.Row{Section: sec, Measure: "(c) busiest one-second window the fake saw",
		Value:  fmt.Sprintf("%d requests", c.stats.MaxPerSecond),
		Target: fmt.Sprintf("≤ %d (rate + burst)", int(paceRate)+paceBurst), Verdict: bench.AtMost(float64(c.stats.MaxPerSecond), paceRate+paceBurst)})
	reach, ok := bench.Reached(c.reqs, int(paceRate))
	reachValue := fmt.Sprintf("%.2f s after the first request", reach.Seconds())
	if !ok {
		reach, reachValue = time.Hour, "never"
	}
	s.table.Add(bench.Row{Section: sec, Measure: fmt.Sprintf("(c) slow start: first one-second window with %.0f requests", paceRate),
		Value: reachValue, Target: fmt.Sprintf("≤ %.0f s", maxReachSeconds), Verdict: bench.AtMost(reach.Seconds(), maxReachSeconds)})
	s.c = c

	// (c) again without the slow start: the spacing alone.
	c2, err := s.send(ctx, inC, fake.Options{}, "--rate", fmt.Sprint(paceRate), "--burst", fmt.Sprint(paceBurst), "--start-rate", fmt.Sprint(paceRate))
	if err != nil {
		return err
	}
	rate2 := c2.traffic.PacedRate()
	s.table.Add(bench.Row{Section: sec,
		Measure: fmt.Sprintf("(c) same with --start-rate %.0f (no slow start): achieved rate", paceRate),
		Value: fmt.Sprintf("%.2f req/s = %.3f of %.0f; busiest second %d; %d of %d succeeded; the ramp adds %+.2f s", rate2, rate2/paceRate, paceRate, c2.stats.MaxPerSecond, c2.succeeded(), s.cfg.rateReq,
			c.traffic.Last.Sub(c.traffic.First).Seconds()-c2.traffic.Last.Sub(c2.traffic.First).Seconds()),
		Target: fmt.Sprintf("≥ %.2f of %.0f", 1-paceTolerance, paceRate), Verdict: bench.AtLeast(rate2/paceRate, 1-paceTolerance)})
	return nil
}

func perRequest(cpu time.Duration, requests int) float64 {
	if requests == 0 {
		return 0
	}
	return float64(cpu.Microseconds()) / float64(requests)
}

// poolFloor runs "benchrun floor-pool" against a fresh fake with options o
// and returns what the fake saw.
func (s *suite) poolFloor(ctx context.Context, o fake.Options) (bench.Traffic, bench.Usage, error) {
	o.Leads = 10_000_000
	f, err := bench.StartFake(ctx, o)
	if err != nil {
		return bench.Traffic{}, bench.Usage{}, err
	}
	u, runErr := s.floorOnce(ctx, s.cfg.latencyReq, []string{"floor-pool", f.URL, fmt.Sprint(s.cfg.latencyReq), fmt.Sprint(workers)})
	t := bench.Analyze(f.Server.Requests())
	if err := f.Close(); err != nil && runErr == nil {
		runErr = err
	}
	return t, u, runErr
}
