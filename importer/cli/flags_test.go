package cli

import (
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer"
)

// With no flags given, every variable holds its documented default, and
// help writes that default from the same table.
func TestFlagDefaults(t *testing.T) {
	var f importFlags
	cmd := importCommand(&f, DefaultURL)
	if _, err := parseArgs(nil, cmd, []string{"x.csv"}); err != nil {
		t.Fatal(err)
	}
	if f.workers != importer.DefaultWorkers || f.rate != importer.DefaultRate || f.burst != importer.DefaultBurst ||
		f.retries != importer.DefaultRetries || f.backoffBase != importer.DefaultBackoffBase || f.backoffMax != importer.DefaultBackoffMax {
		t.Errorf("speed defaults %+v", f)
	}
	if f.conn.timeout != 30*time.Second || f.conn.mockLeads != 1_000_000 || f.conn.logFormat != "console" || f.conn.url != DefaultURL {
		t.Errorf("connection defaults %+v", f.conn)
	}
	for _, d := range cmd.flags {
		if d.def != d.value.String() {
			t.Errorf("%s: help says default %q, the variable holds %q", flagName(d.name), d.def, d.value.String())
		}
	}
	var m mockFlags
	if _, err := parseArgs(nil, mockCommand(&m), nil); err != nil {
		t.Fatal(err)
	}
	if m.addr != "127.0.0.1:8080" || m.fake.Leads != 1000 || m.fake.LimitStatus != 429 || m.seed != 1 || m.onClosed != "reject" || m.fake.SlowLatency != 5*time.Second {
		t.Errorf("mock defaults %+v", m)
	}
}

// A value is set only when it is accepted: a refused one leaves the
// variable as it was.
func TestRefusedValueLeavesTheVariable(t *testing.T) {
	var f importFlags
	cmd := importCommand(&f, DefaultURL)
	for _, args := range [][]string{{"--workers", "0"}, {"--rate", "-1"}, {"--timeout", "30"}, {"--log-format", "xml"}} {
		if _, err := parseArgs(nil, cmd, args); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
	if f.workers != importer.DefaultWorkers || f.rate != importer.DefaultRate || f.conn.timeout != 30*time.Second || f.conn.logFormat != "console" {
		t.Errorf("after refused values: workers %d, rate %g, timeout %s, log format %q", f.workers, f.rate, f.conn.timeout, f.conn.logFormat)
	}
}
