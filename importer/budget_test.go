package importer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// budgetInput writes the request-budget file: n rows, one lead each, every
// row an outcome, competitor-map IDs on half the rows and a product on two
// thirds.
func budgetInput(tb testing.TB, dir string, n int) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString("lead,outcome,competitor maps,product,quantity,price,currency\n")
	for i := 1; i <= n; i++ {
		outcome := []string{"Won", "Lost"}[i%2]
		comp, product, qty, price, currency := "", "", "", "", ""
		if i%2 == 0 {
			comp = fmt.Sprintf("%d-competitorMaps", 2*i-1) // the lead's own map
		}
		if i%3 != 0 {
			product, qty, price, currency = fmt.Sprintf("%d-products", 1+i%5), "2", "99.50", "USD"
		}
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%s\n", i, outcome, comp, product, qty, price, currency)
	}
	path := filepath.Join(dir, "budget.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// budgetRun imports the budget file against a fake of the given kind and
// returns its requests, reads and updates.
func budgetRun(tb testing.TB, kind fake.Kind, n int) (requests, reads, updates int) {
	tb.Helper()
	dir := tb.TempDir()
	o := fake.Options{Leads: n}
	kind.Apply(&o)
	client := benchFake(tb, o)
	sum, err := Run(context.Background(), Options{
		Input: budgetInput(tb, dir, n), ReportPath: filepath.Join(dir, "report.csv"),
		Client: client, Workers: 8, Rate: 1e6, StartRate: 1e6, Burst: 1000, Log: zerolog.Nop(),
	})
	if err != nil {
		tb.Fatal(err)
	}
	if sum.Counts["succeeded"] != n {
		tb.Fatalf("%s: %v, want every row succeeded", kind.Name, sum.Counts)
	}
	return sum.Requests, sum.Reads, sum.Updates
}

// The requests a run costs: where comma-joined reads work, at most 1.05 per
// update sent; where they are refused, no more than one read per lead and
// one per distinct map the file names (and the few a refusal costs once).
func TestRequestBudget(t *testing.T) {
	const n = 2000
	for _, kind := range fake.Kinds() {
		t.Run(kind.Name, func(t *testing.T) {
			o := fake.Options{}
			kind.Apply(&o)
			requests, reads, updates := budgetRun(t, kind, n)
			if updates != n || requests != reads+updates {
				t.Fatalf("%d requests, %d reads, %d updates", requests, reads, updates)
			}
			limit := int(1.05 * n)
			if o.NoCommaIDs {
				limit = n + n/2 + n + 50 // updates, the maps (half the rows), the leads, the refusals learnt
			}
			if requests > limit {
				t.Errorf("%d requests for %d updates (%.3f each), want at most %d", requests, updates, float64(requests)/float64(updates), limit)
			}
		})
	}
}

// BenchmarkRequestsPerUpdate reports requests per update sent for the
// budget file on each kind of server (go test -bench RequestsPerUpdate
// -benchtime 1x ./importer/).
func BenchmarkRequestsPerUpdate(b *testing.B) {
	const n = 2000
	for _, kind := range fake.Kinds() {
		b.Run(strings.ReplaceAll(kind.Name, " ", "-"), func(b *testing.B) {
			var requests, reads, updates int
			for range b.N {
				requests, reads, updates = budgetRun(b, kind, n)
			}
			b.ReportMetric(float64(requests)/float64(updates), "requests/update")
			b.ReportMetric(float64(reads), "reads")
			b.ReportMetric(float64(updates), "updates")
		})
	}
}
