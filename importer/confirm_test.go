package importer

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// A read-back after an ambiguous failure confirms an update only by what it
// changed. Leads already closed as Won, rows asking Won and a product with
// --update-closed, 30% of updates answered 500 and not applied: the outcome
// the lead already had is no evidence. Where the read shows the lead's
// product maps, the missing product tells "not applied" and the update is
// sent again; where it does not, the row fails as "may have been applied",
// naming the lead — never "succeeded" for an update that was not applied.
// A resume of that report then sends nothing twice and calls nothing done
// that it cannot see.
func TestAmbiguousFailureOnLeadAlreadyWithTheOutcome(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n = 100
		var closed []string
		var b strings.Builder
		b.WriteString("lead,outcome,product,quantity\n")
		for i := 1; i <= n; i++ {
			closed = append(closed, fmt.Sprintf("%d-leads", i))
			fmt.Fprintf(&b, "%d,Won,1-products,1\n", i)
		}
		for _, hide := range []bool{true, false} {
			t.Run(fmt.Sprintf("maps hidden %v", hide), func(t *testing.T) {
				srv, c := newFake(t, withKind(fake.Options{Seed: 7, ClosedLeads: closed, OnClosed: fake.ApplyToClosed, HideMaps: hide,
					FailRate: 0.3, FailStatuses: []int{500}}, kind))
				o := baseOptions(t, writeFile(t, "in.csv", b.String()), c)
				// Enough retries that no row gives up on the 30% of 500s:
				// the test is about what a read-back may confirm.
				o.UpdateClosed, o.Retries = true, 20
				sum, rows := run(t, o)
				checkInvariants(t, srv, rows, n)
				unsure := 0
				for _, r := range rows {
					lead := r["import_lead_id"]
					switch report.Result(r["import_result"]) {
					case report.Succeeded:
					case report.Failed:
						if !hide || !strings.Contains(r["import_error"], "may have been applied") || !strings.Contains(r["import_error"], lead) {
							t.Errorf("row %s failed: %s; want (only with maps hidden) \"may have been applied\" naming %s", r["import_row"], r["import_error"], lead)
						}
						unsure++
					default:
						t.Errorf("row %s: %s (%s)", r["import_row"], r["import_result"], r["import_error"])
					}
				}
				if hide && unsure == 0 {
					t.Fatalf("no row failed ambiguously: the fault did not happen (%v)", sum.Counts)
				}
				if !hide && OutcomeOf(sum, nil) != OutcomeDone {
					t.Errorf("with the maps shown every update can be confirmed or resent: %v", sum.Counts)
				}

				// A resume prechecks the unsure rows: it cannot tell either, so
				// it neither resends nor claims them.
				o2 := baseOptions(t, o.Input, c)
				o2.UpdateClosed, o2.Resume, o2.Retries = true, sum.ReportPath, 20
				_, rows2 := run(t, o2)
				checkInvariants(t, srv, rows2, n)
				for _, r := range rows2 {
					lead := r["import_lead_id"]
					if report.Result(r["import_result"]) == report.Skipped && srv.Applied(lead) != 1 {
						t.Errorf("resumed row %s skipped as done, lead %s applied %d times", r["import_row"], lead, srv.Applied(lead))
					}
				}
			})
		}
		_ = context.Background
	})
}
