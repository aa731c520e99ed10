package importer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// A killed run's report lacks the rows in flight; its dispatch journal tells
// the rows it may have sent (read before resending) from those it never
// sent (sent as any row). Product-only rows, which no read can confirm,
// show it where the read does not show a lead's products: without a journal
// every row after the report's last is held back as "may have applied";
// with it, only the dispatched ones are.
func TestResumeOfAKilledRunSendsWhatItNeverSent(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n = 20
		var b strings.Builder
		b.WriteString("lead,product,quantity\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "%d,1-products,1\n", i)
		}
		for _, tc := range []struct{ journal, hide bool }{{true, true}, {false, true}, {true, false}, {false, false}} {
			journal := tc.journal
			t.Run(fmt.Sprintf("journal %v maps hidden %v", tc.journal, tc.hide), func(t *testing.T) {
				srv, c := newFake(t, withKind(fake.Options{HideMaps: tc.hide}, kind))
				input := writeFile(t, "in.csv", b.String())
				// The killed run: it sent the first 8 updates (rows 2-9), and
				// its report got as far as row 6.
				o := baseOptions(t, input, c)
				o.Limit, o.Workers = 8, 1
				sum, _ := run(t, o)
				if _, err := os.Stat(report.JournalPath(sum.ReportPath)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("a run that ended left its journal: %v", err)
				}
				cutReport(t, sum.ReportPath, 5)
				if journal {
					if err := os.WriteFile(report.JournalPath(sum.ReportPath), []byte("2\n3\n4\n5\n6\n7\n8\n9\n1"), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				o2 := baseOptions(t, input, c)
				o2.Resume = sum.ReportPath
				_, rows := run(t, o2)
				checkEveryRowOnce(t, rows, n)
				for _, r := range rows {
					row := r["import_row"]
					var k int
					fmt.Sscan(row, &k)
					lead := r["import_lead_id"]
					switch {
					case k <= 6:
						// Done in the report: skipped.
					case !tc.hide:
						// The read shows the products: rows the earlier run
						// applied are its work, reported succeeded as found
						// applied; the rest are sent.
						if report.Result(r["import_result"]) != report.Succeeded {
							t.Errorf("row %d: %s %q, want succeeded", k, r["import_result"], r["import_error"])
						}
						if found := r["import_note"] == foundApplied; found != (k <= 9) {
							t.Errorf("row %d: note %q; found applied by the earlier run: %v", k, r["import_note"], k <= 9)
						}
					case k <= 9 || !journal:
						if report.Result(r["import_result"]) != report.Failed || !strings.Contains(r["import_error"], "earlier run may have applied") {
							t.Errorf("row %d (maybe sent): %s %q, want failed as maybe applied by the earlier run", k, r["import_result"], r["import_error"])
						}
					default:
						if report.Result(r["import_result"]) != report.Succeeded {
							t.Errorf("row %d (never sent): %s %q, want succeeded", k, r["import_result"], r["import_error"])
						}
					}
					if srv.Applied(lead) > 1 {
						t.Errorf("lead %s applied %d times", lead, srv.Applied(lead))
					}
				}
			})
		}
	})
}

// cutReport keeps the header and the first keep rows of a CSV report, as a
// killed run leaves it.
func cutReport(t *testing.T, path string, keep int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if err := os.WriteFile(path, bytes.Join(lines[:keep+1], nil), 0o600); err != nil {
		t.Fatal(err)
	}
}
