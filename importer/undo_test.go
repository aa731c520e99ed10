package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/fake/contract"
	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
)

// closedPolicies are the kinds of server the fake can play for a status
// update of a closed lead; every test here runs against each.
var closedPolicies = []fake.ClosedPolicy{fake.RejectClosed, fake.ApplyToClosed}

// productsOf lists a lead's products as "3-products×2@100.00 USD", sorted.
func productsOf(t *testing.T, srv *fake.Server, id string) []string {
	t.Helper()
	l, ok := srv.Lead(id)
	if !ok {
		t.Fatalf("no lead %s", id)
	}
	var out []string
	for _, m := range l.ProductMaps {
		out = append(out, fmt.Sprintf("%s×%g@%s %s", m.Product, m.Quantity, m.Amount, m.Currency))
	}
	slices.Sort(out)
	return out
}

func undoOptions(t *testing.T, reportPath string, c *nutshell.Client) UndoOptions {
	o := baseOptions(t, reportPath, c)
	return UndoOptions{Input: reportPath, ReportPath: filepath.Join(t.TempDir(), "undo.csv"), Client: c, Workers: o.Workers,
		Rate: o.Rate, StartRate: o.StartRate, Retries: o.Retries, Log: o.Log}
}

func TestImportUndoImportLeavesProductsOnce(t *testing.T) {
	forEachKind(t, func(t *testing.T, server fake.Kind) {
		for _, policy := range closedPolicies {
			t.Run(policy.String(), func(t *testing.T) {
				srv, c := newFake(t, withKind(fake.Options{OnClosed: policy}, server))
				// Lead 5 has a product map before the import, the same as the
				// file asks for: undo must never take it off.
				if _, err := c.UpdateStatus(context.Background(), "5-leads", []byte(`{"productMaps":[{"productType":"product","quantity":1,"price":{"amount":"10.00","currency":"USD"},"links":{"product":"3-products"}}]}`)); err != nil {
					t.Fatal(err)
				}
				had := productsOf(t, srv, "5-leads")
				input := writeFile(t, "in.csv", "lead,outcome,product,quantity,price,currency\n"+
					"1,Won,1-products,2,100,USD\n"+
					"1,Won,2-products,1,50,USD\n"+
					"2,Lost,3-products,1,10,USD\n"+
					"3,,1-products,4,25,USD\n"+
					"4,Won,,,,\n"+
					"5,Won,1-products,1,20,USD\n")
				want := map[string][]string{
					"1-leads": {"1-products×2@100.00 USD", "2-products×1@50.00 USD"},
					"2-leads": {"3-products×1@10.00 USD"},
					"3-leads": {"1-products×4@25.00 USD"},
					"4-leads": nil,
					"5-leads": append([]string{"1-products×1@20.00 USD"}, had...),
				}
				slices.Sort(want["5-leads"])
				sum, rows := run(t, baseOptions(t, input, c))
				if sum.Counts[report.Succeeded] != 6 {
					t.Fatalf("first import: %v", sum.Counts)
				}
				if rows[0]["import_product_maps"] == "" || rows[0]["import_product_maps"] != rows[1]["import_product_maps"] || rows[4]["import_product_maps"] != "" {
					t.Errorf("import_product_maps of the rows: %q %q %q", rows[0]["import_product_maps"], rows[1]["import_product_maps"], rows[4]["import_product_maps"])
				}
				added := rows[5]["import_product_maps"]
				if l, _ := srv.Lead("5-leads"); strings.Contains(added, l.ProductMaps[0].ID) || added == "" {
					t.Errorf("lead 5: recorded %q, which must be only the map the import added, not %s", added, l.ProductMaps[0].ID)
				}

				plan, err := PlanUndo(sum.ReportPath, source.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(plan.Leads, ","); got != "1-leads,2-leads,4-leads,5-leads" || len(plan.ProductMaps) != 5 || plan.MapLeads != 4 || plan.MapsUnknown {
					t.Fatalf("undo plan: reopen %s, take off %v on %d leads", got, plan.ProductMaps, plan.MapLeads)
				}

				usum, err := Undo(context.Background(), undoOptions(t, sum.ReportPath, c))
				if err != nil {
					t.Fatal(err)
				}
				urows := readReport(t, usum.ReportPath)
				checkEveryRowOnce(t, urows, 6)
				if usum.Counts[report.Succeeded] != 6 {
					t.Errorf("undo: %v %v", usum.Counts, usum.Reasons)
				}
				var taken []string
				for _, r := range urows {
					for _, id := range strings.Split(r["import_product_maps"], "; ") {
						if id != "" && !slices.Contains(taken, id) {
							taken = append(taken, id)
						}
					}
				}
				slices.Sort(taken)
				planned := slices.Sorted(slices.Values(plan.ProductMaps))
				if !slices.Equal(taken, planned) {
					t.Errorf("undo report names the maps %v, the plan %v", taken, planned)
				}
				if !strings.Contains(urows[0]["import_note"], "reopened; took off") || !strings.HasPrefix(urows[3]["import_note"], "took off ") {
					t.Errorf("undo notes: %q, %q", urows[0]["import_note"], urows[3]["import_note"])
				}
				for id := range want {
					if l, _ := srv.Lead(id); l.Status != "open" {
						t.Errorf("%s is %s after undo", id, l.Status)
					}
				}
				if got := productsOf(t, srv, "5-leads"); !slices.Equal(got, had) {
					t.Errorf("lead 5 after undo has %v, want what it had before the import: %v", got, had)
				}

				sum2, _ := run(t, baseOptions(t, input, c))
				if sum2.Counts[report.Succeeded] != 6 {
					t.Fatalf("second import: %v %v", sum2.Counts, sum2.Reasons)
				}
				for id, w := range want {
					if got := productsOf(t, srv, id); !slices.Equal(got, w) {
						t.Errorf("%s after import, undo, import: %v, want each product once: %v", id, got, w)
					}
				}
			})
		}
	})
}

func TestUndoLeavesALeadChangedSince(t *testing.T) {
	forEachKind(t, func(t *testing.T, server fake.Kind) {
		for _, policy := range closedPolicies {
			t.Run(policy.String(), func(t *testing.T) {
				srv, c := newFake(t, withKind(fake.Options{OnClosed: policy}, server))
				input := writeFile(t, "in.csv", "lead,outcome,product\n1,Won,1-products\n2,Won,2-products\n3,Lost,3-products\n")
				sum, _ := run(t, baseOptions(t, input, c))
				if sum.Counts[report.Succeeded] != 3 {
					t.Fatalf("import: %v", sum.Counts)
				}
				// Someone reopens lead 2 and closes it as Lost, and reopens lead 3.
				ctx := context.Background()
				if _, err := c.Reopen(ctx, "3-leads"); err != nil {
					t.Fatal(err)
				}
				if _, err := c.Reopen(ctx, "2-leads"); err != nil {
					t.Fatal(err)
				}
				if _, err := c.UpdateStatus(ctx, "2-leads", []byte(`{"outcomeId":"2-outcomes"}`)); err != nil {
					t.Fatal(err)
				}
				products := productsOf(t, srv, "2-leads")
				usum, err := Undo(ctx, undoOptions(t, sum.ReportPath, c))
				if err != nil {
					t.Fatal(err)
				}
				rows := readReport(t, usum.ReportPath)
				if rows[0]["import_result"] != "succeeded" || rows[1]["import_result"] != "skipped" ||
					rows[1]["import_error"] != "changed since the import (now Lost); not reopened" {
					t.Errorf("undo rows: %v", rows)
				}
				if l, _ := srv.Lead("3-leads"); l.Status != "open" || len(l.ProductMaps) != 0 || !strings.HasPrefix(rows[2]["import_note"], "already reopened; took off 30001-productMaps") {
					t.Errorf("lead 3, reopened since: %s %v %q", l.Status, l.ProductMaps, rows[2]["import_note"])
				}
				if l, _ := srv.Lead("2-leads"); l.Status != "lost" || !slices.Equal(productsOf(t, srv, "2-leads"), products) {
					t.Errorf("lead 2 was touched: %s %v", l.Status, productsOf(t, srv, "2-leads"))
				}
				if len(usum.Reasons) != 1 || usum.Reasons[0].Kind != kind.ChangedSince || usum.NeedsAttention != 1 {
					t.Errorf("reasons %+v", usum.Reasons)
				}
			})
		}
	})
}

// An import report written before import_product_maps existed, by hand: a
// success, a failure that may have landed (and did), one that may have
// landed (and did not), and the rows undo has nothing to do for.
const oldReport = "\ufefflead,outcome,import_row,import_result,import_http_status,import_error,import_attempts,import_request_id,import_lead_status,import_body,import_lead_id,import_status_before,import_note\n" +
	`1,Won,2,succeeded,200,,1,,won,"{""outcomeId"":""1-outcomes""}",1-leads,open,` + "\n" +
	`7,Won,3,failed,502,"may have been applied, so it was not resent",1,,,"{""outcomeId"":""1-outcomes""}",7-leads,open,` + "\n" +
	`8,Won,4,failed,502,"may have been applied, so it was not resent",1,,,"{""outcomeId"":""1-outcomes""}",8-leads,open,` + "\n" +
	`9,Won,5,not-sent,,not sent: --limit 1 reached,,,,"{""outcomeId"":""1-outcomes""}",9-leads,,` + "\n" +
	`x,Won,6,invalid,,bad lead,,,,,,,` + "\n" +
	`10,Won,7,skipped,,succeeded in an earlier run,,,,"{""outcomeId"":""1-outcomes""}",10-leads,,` + "\n"

func TestUndoOfAnOlderReport(t *testing.T) {
	forEachKind(t, func(t *testing.T, server fake.Kind) {
		for _, policy := range closedPolicies {
			t.Run(policy.String(), func(t *testing.T) {
				srv, c := newFake(t, withKind(fake.Options{OnClosed: policy, ClosedLeads: []string{"1-leads", "7-leads", "10-leads"}}, server))
				path := writeFile(t, "old.report.csv", oldReport)
				plan, err := PlanUndo(path, source.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if !plan.MapsUnknown || strings.Join(plan.Leads, ",") != "1-leads" || strings.Join(plan.Uncertain, ",") != "7-leads,8-leads" {
					t.Fatalf("plan %+v", plan)
				}
				usum, err := Undo(context.Background(), undoOptions(t, path, c))
				if err != nil {
					t.Fatal(err)
				}
				rows := readReport(t, usum.ReportPath)
				checkEveryRowOnce(t, rows, 6)
				for _, id := range []string{"1-leads", "7-leads"} {
					if l, _ := srv.Lead(id); l.Status != "open" {
						t.Errorf("%s not reopened: %s", id, l.Status)
					}
				}
				if l, _ := srv.Lead("10-leads"); l.Status == "open" {
					t.Error("undo reopened a lead an earlier report's run closed")
				}
				kinds := map[kind.Kind]string{}
				for _, r := range usum.Reasons {
					kinds[r.Kind] = r.Reason
				}
				for _, k := range []kind.Kind{kind.NotApplied, kind.NotSentByImport, kind.InvalidInImport, kind.DoneByEarlier} {
					if kinds[k] == "" {
						t.Errorf("no reason %s among %v", k, kinds)
					}
				}
				if strings.Contains(fmt.Sprint(kinds), "names no lead") {
					t.Errorf("reasons lump rows under 'names no lead': %v", kinds)
				}
			})
		}
	})
}

func TestUndoDryRunShowsTheMaps(t *testing.T) {
	forEachKind(t, func(t *testing.T, server fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{}, server))
		input := writeFile(t, "in.csv", "lead,outcome,product\n1,Won,1-products\n2,,2-products\n")
		sum, rows := run(t, baseOptions(t, input, c))
		o := undoOptions(t, sum.ReportPath, c)
		o.DryRun = true
		usum, err := Undo(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		urows := readReport(t, usum.ReportPath)
		if urows[0]["import_result"] != "dry-run" || urows[0]["import_note"] != "would reopen; would take off "+rows[0]["import_product_maps"] ||
			urows[1]["import_note"] != "would take off "+rows[1]["import_product_maps"] {
			t.Errorf("dry-run undo rows: %v", urows)
		}
		if l, _ := srv.Lead("1-leads"); l.Status == "open" || len(l.ProductMaps) != 1 {
			t.Errorf("a dry run changed lead 1: %+v", l)
		}
	})
}

// A pilot is the first N updates of the file, however many workers race.
func TestLimitSendsTheFirstN(t *testing.T) {
	forEachKind(t, func(t *testing.T, server fake.Kind) {
		var b strings.Builder
		b.WriteString("lead,outcome\n")
		for i := 1; i <= 40; i++ {
			fmt.Fprintf(&b, "%d,Won\n", i)
		}
		input := writeFile(t, "in.csv", b.String())
		for _, policy := range closedPolicies {
			t.Run(policy.String(), func(t *testing.T) {
				for try := range 15 { // per kind of server and policy: 210 runs in all
					srv, c := newFake(t, withKind(fake.Options{OnClosed: policy, Latency: time.Millisecond}, server))
					o := baseOptions(t, input, c)
					o.Workers, o.Limit = 16, 5
					_, rows := run(t, o)
					var sent []string
					for _, r := range rows {
						if r["import_result"] == "succeeded" {
							sent = append(sent, r["import_row"])
						}
					}
					if got := strings.Join(sent, ","); got != "2,3,4,5,6" || srv.Stats().Applied != 5 {
						t.Fatalf("try %d: --limit 5 sent rows %s (%d applied), want 2,3,4,5,6", try+1, got, srv.Stats().Applied)
					}
				}
			})
		}
	})
}

// stripMaps serves srv, taking the product maps out of some answers: the
// status answer's links (so a read after tells the maps), or the lead
// reads' (so the state before is unknown).
type stripMaps struct {
	srv          *fake.Server
	status, read bool
}

func (h stripMaps) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	isStatus := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/status")
	if rec.Code == http.StatusOK && (isStatus && h.status || r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/rest/leads/") && h.read) {
		var v map[string]any
		if json.Unmarshal(body, &v) == nil {
			strip := func(l any) {
				if m, ok := l.(map[string]any); ok {
					if links, ok := m["links"].(map[string]any); ok {
						delete(links, "productMaps")
					}
				}
			}
			strip(v)
			if leads, ok := v["leads"].([]any); ok {
				for _, l := range leads {
					strip(l)
				}
			}
			delete(v, "productMaps")
			body, _ = json.Marshal(v)
		}
	}
	for k, vs := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = vs
		}
	}
	w.WriteHeader(rec.Code)
	w.Write(body)
}

func TestProductMapsWhereTheAnswerDoesNotShowThem(t *testing.T) {
	forEachKind(t, func(t *testing.T, server fake.Kind) {
		tests := []struct {
			name         string
			status, read bool
			want         string // import_product_maps of lead 1's row
			note         string // part of its note
		}{
			// The status answer names no maps: a read of the lead after tells them.
			{"read after", true, false, "10001-productMaps", ""},
			// The reads before show no maps: nothing recorded, and the note says undo leaves them.
			{"before unknown", false, true, "", "undo will leave them"},
		}
		for _, tt := range tests {
			for _, policy := range closedPolicies {
				t.Run(tt.name+"/"+policy.String(), func(t *testing.T) {
					srv := fake.New(withKind(fake.Options{OnClosed: policy, Username: testUser, APIKey: testKey, CheckRequest: contract.Hook(t)}, server))
					ts := httptest.NewServer(stripMaps{srv: srv, status: tt.status, read: tt.read})
					t.Cleanup(ts.Close)
					c, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: testUser, APIKey: testKey, Timeout: 2 * time.Second})
					if err != nil {
						t.Fatal(err)
					}
					input := writeFile(t, "in.csv", "lead,outcome,product\n1,Won,1-products\n")
					_, rows := run(t, baseOptions(t, input, c))
					if rows[0]["import_result"] != "succeeded" || rows[0]["import_product_maps"] != tt.want || !strings.Contains(rows[0]["import_note"], tt.note) {
						t.Errorf("row: %v", rows[0])
					}
				})
			}
		}
	})
}

// An import undone, then imported again: undoing the first report a second
// time finds each lead closed as it left it, but without the product maps it
// added, so it is a later run's close and stays closed.
func TestUndoTwiceLeavesALaterClose(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		input := writeFile(t, "in.csv", "lead,outcome,product\n1,Won,1-products\n2,Lost,2-products\n")
		first, _ := run(t, baseOptions(t, input, c))
		ctx := context.Background()
		if _, err := Undo(ctx, undoOptions(t, first.ReportPath, c)); err != nil {
			t.Fatal(err)
		}
		again, _ := run(t, baseOptions(t, input, c))
		if again.Counts[report.Succeeded] != 2 {
			t.Fatalf("import again: %v", again.Counts)
		}
		usum, err := Undo(ctx, undoOptions(t, first.ReportPath, c))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range readReport(t, usum.ReportPath) {
			if r["import_result"] != "skipped" || !strings.Contains(r["import_error"], "without the product maps it added") {
				t.Errorf("row %s: %s %q, want skipped as changed since", r["import_row"], r["import_result"], r["import_error"])
			}
		}
		for lead, status := range map[string]string{"1-leads": "won", "2-leads": "lost"} {
			if l, _ := srv.Lead(lead); l.Status != status || len(l.ProductMaps) != 1 {
				t.Errorf("%s after the second undo: %s with %d product maps, want %s with 1", lead, l.Status, len(l.ProductMaps), status)
			}
		}
		if len(usum.Plan) != 0 || usum.NeedsAttention != 2 {
			t.Errorf("plan %+v, needs attention %d: want no plan and 2 rows to look at", usum.Plan, usum.NeedsAttention)
		}
	})
}
