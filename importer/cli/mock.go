package cli

import (
	"context"
	"fmt"
	"strconv"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// mockFlags are the flags of "leadstatus mock": the fake's options, and
// what becomes them.
type mockFlags struct {
	fake              fake.Options
	addr, onClosed    string
	closedLeads, seed int
}

// runMock serves the built-in fake Nutshell API until interrupted.
func runMock(stop context.Context, args []string, sys *IO) error {
	var f mockFlags
	positional, err := parseArgs(sys, mockCommand(&f), args)
	if err != nil {
		return err
	}
	o := f.fake
	if len(positional) > 0 {
		return usageErrorf("mock takes no arguments, got %q", positional[0])
	}
	if o.OnClosed, err = fake.ParseClosedPolicy(f.onClosed); err != nil {
		return usageErrorf("--on-closed %q: choose reject or apply", f.onClosed)
	}
	o.Seed = int64(f.seed)
	for i := 1; i <= f.closedLeads && i <= o.Leads; i++ {
		o.ClosedLeads = append(o.ClosedLeads, strconv.Itoa(i)+"-leads")
	}
	if err := o.Check(); err != nil {
		return usageErrorf("mock: %s", err)
	}
	o.NoRecord = true
	srv := fake.New(o)
	base, wait, err := fake.Start(stop, f.addr, srv)
	if err != nil {
		return usageErrorf("serve the fake Nutshell API on %s: %s", f.addr, err)
	}
	fmt.Fprintf(sys.Out, "fake Nutshell API at %s (Ctrl-C to stop)\n", base)
	fmt.Fprintf(sys.Out, "use it with: NUTSHELL_API_URL=%s NUTSHELL_USERNAME=%s NUTSHELL_API_KEY=%s leadstatus import FILE\n",
		base, orDefault(o.Username, "me@example.com"), orDefault(o.APIKey, "any-key"))
	if err := wait(); err != nil {
		return fmt.Errorf("fake Nutshell API: %w", err)
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
