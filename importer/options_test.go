package importer

import (
	"fmt"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// TestZeroRetriesMeansTheDefault: options built without Retries retry as
// the command line does by default; NoRetries (the command line's
// --retries 0) sends each update once.
func TestZeroRetriesMeansTheDefault(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		tests := []struct {
			retries  int
			attempts int
		}{
			{0, DefaultRetries + 1},
			{NoRetries, 1},
			{2, 3},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprint(tt.retries), func(t *testing.T) {
				_, c := newFake(t, withKind(fake.Options{FailRate: 1}, kind))
				o := baseOptions(t, chaosInput(t, 3), c)
				o.Retries = tt.retries
				o.OutageAfter = 1000
				_, rows := run(t, o)
				for _, r := range rows {
					if report.Result(r["import_result"]) != report.Failed || r["import_attempts"] != fmt.Sprint(tt.attempts) {
						t.Errorf("row %s: %s after %s attempts, want failed after %d", r["import_row"], r["import_result"], r["import_attempts"], tt.attempts)
					}
				}
			})
		}
	})
}

// TestWithDefaults: every zero that has a documented default gets it.
func TestWithDefaults(t *testing.T) {
	o := Options{}.WithDefaults()
	if o.Workers != DefaultWorkers || o.Rate != DefaultRate || o.Retries != DefaultRetries || o.Burst != DefaultBurst ||
		o.BackoffBase != DefaultBackoffBase || o.BackoffMax != DefaultBackoffMax || o.OutageAfter != DefaultOutageAfter ||
		o.OutagePause != DefaultOutagePause || o.OutagePauses != DefaultOutagePauses {
		t.Errorf("defaults: %+v", o)
	}
	// Applying defaults twice keeps "none".
	n := Options{Retries: NoRetries}.WithDefaults().WithDefaults()
	if n.retries() != 0 {
		t.Errorf("NoRetries resolves to %d retries", n.retries())
	}
}
