package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// runMock serves the built-in fake Nutshell API until interrupted.
func runMock(stop context.Context, args []string, sys *IO) error {
	fs := flag.NewFlagSet("mock", flag.ContinueOnError)
	fs.SetOutput(sys.Err)
	var o fake.Options
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `ADDR` (loopback only)")
	fs.IntVar(&o.Leads, "leads", 1000, "open leads 1-leads..N-leads (`N`)")
	fs.StringVar(&o.Username, "username", "", "accept only this user (default: any credentials)")
	fs.StringVar(&o.APIKey, "api-key", "", "accept only this API key (default: any credentials)")
	fs.Int64Var(&o.Seed, "seed", 1, "seed for request IDs and faults (same seed, same faults)")
	fs.Float64Var(&o.RateLimit, "rate-limit", 0, "hidden limit: answer 429 above `R` requests per second (0 = none)")
	fs.IntVar(&o.RateBurst, "rate-burst", 1, "burst of the hidden limit (`N`)")
	fs.DurationVar(&o.RateWindow, "limit-window", 0, "count the hidden limit per fixed window of `D` (--rate-limit × D requests, e.g. 1m), answering with Retry-After until it ends (0 = a token bucket)")
	fs.IntVar(&o.LimitStatus, "limit-status", 429, "status the hidden limit answers with: 429, or 503 for a service that sheds load")
	fs.BoolVar(&o.RetryAfter, "retry-after", false, "send Retry-After with the hidden limit's answers")
	fs.Float64Var(&o.FailRate, "fail-rate", 0, "share of updates answered with --fail-statuses and not applied (0..1)")
	fs.Func("fail-statuses", "comma-separated 5xx `STATUSES` a --fail-rate fault picks from (default 503,500)", func(v string) error {
		statuses, err := parseStatuses(v)
		o.FailStatuses = statuses
		return err
	})
	fs.Float64Var(&o.ResetRate, "reset-rate", 0, "share of updates whose connection is dropped, not applied (0..1)")
	fs.Float64Var(&o.ApplyThenFailRate, "apply-then-fail-rate", 0, "share of updates applied, then answered 502 (0..1)")
	fs.Float64Var(&o.ApplyThenResetRate, "apply-then-reset-rate", 0, "share of updates applied, then the connection dropped (0..1)")
	fs.DurationVar(&o.Latency, "latency", 0, "added to every response (`D`)")
	fs.Float64Var(&o.SlowRate, "slow-rate", 0, "share of responses that take --slow-latency instead (0..1)")
	fs.DurationVar(&o.SlowLatency, "slow-latency", 5*time.Second, "latency of slow responses (`D`)")
	fs.BoolVar(&o.RefuseUndeclaredQuery, "refuse-undeclared-query", false, "answer 400 to query parameters the published API does not declare (filters and paging of the catalogue lists)")
	fs.BoolVar(&o.IgnoreFilters, "ignore-filters", false, "answer lists as if their filter[...] parameters were not there")
	fs.BoolVar(&o.NoCommaIDs, "no-comma-ids", false, "answer 404 to several IDs joined by commas in one read")
	fs.BoolVar(&o.NoCompetitorLinks, "no-competitor-links", false, "leave a lead's competitor maps out of its links")
	fs.BoolVar(&o.ProductMapsByID, "product-maps-by-id", false, "name a lead's product maps by ID only, without side-loading them")
	fs.BoolVar(&o.MapsNameNoLead, "maps-name-no-lead", false, "serve competitor maps without links.lead")
	closedLeads := fs.Int("closed-leads", 0, "leads 1-leads..N-leads start closed as Won (`N`)")
	fs.BoolVar(&o.HideMaps, "hide-maps", false, "leads show no product or competitor maps, as the published Lead schema")
	onClosed := fs.String("on-closed", "reject", "an outcome sent to a closed lead: reject (422) or apply (applied again, products added again)")
	positional, err := parseArgs(sys, fs, mockCommand(), args)
	if err != nil {
		return err
	}
	if len(positional) > 0 {
		return usageErrorf("mock takes no arguments, got %q", positional[0])
	}
	if o.OnClosed, err = fake.ParseClosedPolicy(*onClosed); err != nil {
		return usageErrorf("--on-closed must be reject or apply, not %q", *onClosed)
	}
	for i := 1; i <= *closedLeads && i <= o.Leads; i++ {
		o.ClosedLeads = append(o.ClosedLeads, strconv.Itoa(i)+"-leads")
	}
	if err := o.Check(); err != nil {
		return usageErrorf("mock: %s", err)
	}
	o.NoRecord = true
	srv := fake.New(o)
	base, wait, err := fake.Start(stop, *addr, srv)
	if err != nil {
		return usageErrorf("serve the fake Nutshell API on %s: %s", *addr, err)
	}
	fmt.Fprintf(sys.Out, "fake Nutshell API at %s (Ctrl-C to stop)\n", base)
	fmt.Fprintf(sys.Out, "use it with: NUTSHELL_API_URL=%s NUTSHELL_USERNAME=%s NUTSHELL_API_KEY=%s leadstatus import FILE\n",
		base, orDefault(o.Username, "me@example.com"), orDefault(o.APIKey, "any-key"))
	if err := wait(); err != nil {
		return fmt.Errorf("fake Nutshell API: %w", err)
	}
	return nil
}

// parseStatuses reads "503" or "500,503".
func parseStatuses(v string) ([]int, error) {
	var statuses []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%q is not an HTTP status; give numbers such as 503 or 500,503", f)
		}
		statuses = append(statuses, n)
	}
	return statuses, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
