package importer

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
)

func TestCheckSendsOnlyGETsInBatches(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		play := withKind(fake.Options{}, kind)
		srv, c := newFake(t, withKind(fake.Options{ClosedLeads: []string{"3-leads"}, DeletedLeads: []string{"4-leads"}}, kind))
		var b strings.Builder
		b.WriteString("lead,outcome,product,competitors\n")
		b.WriteString("1,Won,Pro Plan,\n")         // names resolve
		b.WriteString("2,Lost,,Initech\n")         // lead 2 has a map for Initech
		b.WriteString("3,Won,,\n")                 // already closed: a warning
		b.WriteString("4,Won,,\n")                 // deleted
		b.WriteString("999999999,Won,,\n")         // does not exist
		b.WriteString("6,Won,Platinum Plan,\n")    // unknown product
		b.WriteString("7,Lost,,Umbrella; Hooli\n") // Hooli is no competitor of lead 7
		for i := 10; i < 250; i++ {
			fmt.Fprintf(&b, "%d,Won,,\n", i)
		}
		o := baseOptions(t, writeFile(t, "in.csv", b.String()), c)
		o.DryRun, o.Check = true, true
		sum, rows := run(t, o)
		checkEveryRowOnce(t, rows, 247)
		leadReads := 0
		for _, req := range srv.Requests() {
			if req.Method != "GET" {
				t.Fatalf("--check sent %s %s", req.Method, req.Path)
			}
			if strings.HasPrefix(req.Path, "/rest/leads/") {
				leadReads++
			}
		}
		// In batches of 100 where the server takes several IDs in one read,
		// else one per lead (after the batches already asked for when the
		// first was refused); and a lead whose competitor names need its
		// maps is read for them once more.
		budget := 5 + 2
		if play.NoCommaIDs {
			budget = 246 + 5 + 2
		}
		if leadReads > budget {
			t.Errorf("%d lead reads for 247 rows (246 leads), want at most %d", leadReads, budget)
		}
		want := []struct {
			result report.Result
			text   string
		}{
			{report.DryRun, ""},
			{report.DryRun, ""},
			{report.Skipped, "already Won; nothing sent"},
			{report.Invalid, "deleted"},
			{report.Invalid, "does not exist"},
			{report.Invalid, "Platinum Plan"},
			{report.Invalid, "Hooli"},
		}
		dryRuns := 242
		if noMapsOfLead(play) {
			// A competitor's name cannot be turned into the lead's map: the
			// row says so and what to write instead.
			want[1] = struct {
				result report.Result
				text   string
			}{report.Invalid, "write the competitor map's ID instead"}
			want[6].text = "write the competitor map's ID instead"
			dryRuns--
		}
		for i, w := range want {
			r := rows[i]
			if report.Result(r["import_result"]) != w.result || !strings.Contains(r["import_error"], w.text) {
				t.Errorf("row %s: %s %q, want %s containing %q", r["import_row"], r["import_result"], r["import_error"], w.result, w.text)
			}
		}
		if got := rows[0]["import_status_before"]; got != "open" {
			t.Errorf("status before %q, want open", got)
		}
		if !strings.Contains(rows[0]["import_body"], `"links":{"product":"1-products"}`) {
			t.Errorf("product name not resolved: %s", rows[0]["import_body"])
		}
		if sum.Counts[report.DryRun] != dryRuns {
			t.Errorf("counts %v, want %d dry-run", sum.Counts, dryRuns)
		}
	})
}

func TestSkipClosed(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{ClosedLeads: []string{"2-leads"}}, kind))
		o := baseOptions(t, writeFile(t, "in.csv", "lead,outcome\n1,Won\n2,Lost\n3,Lost\n"), c)
		o.SkipClosed = true
		_, rows := run(t, o)
		if report.Result(rows[1]["import_result"]) != report.Skipped || srv.Applied("2-leads") != 0 {
			t.Errorf("closed lead: %s (%s), applied %d", rows[1]["import_result"], rows[1]["import_error"], srv.Applied("2-leads"))
		}
		if report.Result(rows[0]["import_result"]) != report.Succeeded || report.Result(rows[2]["import_result"]) != report.Succeeded {
			t.Errorf("open leads: %v", rows)
		}
	})
}

func TestReopen(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{ClosedLeads: []string{"1-leads"}}, kind))
		_, rows := run(t, baseOptions(t, writeFile(t, "in.csv", "lead,outcome\n1,reopen\n2,Open\n"), c))
		if l, _ := srv.Lead("1-leads"); l.Status != "open" || report.Result(rows[0]["import_result"]) != report.Succeeded {
			t.Errorf("reopen: lead status %q, row %v", l.Status, rows[0])
		}
		if report.Result(rows[1]["import_result"]) != report.Skipped || srv.Applied("2-leads") != 0 {
			t.Errorf("reopening an open lead: %v", rows[1])
		}
	})
}

func TestLimitThenResume(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		input := chaosInput(t, 30)
		o := baseOptions(t, input, c)
		o.Limit = 5
		sum, rows := run(t, o)
		if sum.Counts[report.Succeeded] != 5 || sum.Counts[report.NotSent] != 25 {
			t.Fatalf("pilot counts %v", sum.Counts)
		}
		checkInvariants(t, srv, rows, 30)
		o2 := baseOptions(t, input, c)
		o2.Resume = sum.ReportPath
		sum2, rows2 := run(t, o2)
		checkInvariants(t, srv, rows2, 30)
		if sum2.Counts[report.Skipped] != 5 || sum2.Counts[report.Succeeded] != 25 {
			t.Errorf("resume counts %v", sum2.Counts)
		}
	})
}

func TestUndoReopensOnlyWhatTheRunClosed(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{ClosedLeads: []string{"2-leads"}}, kind))
		input := writeFile(t, "in.csv", "lead,outcome,product\n1,Won,1-products\n1,Won,2-products\n2,Won,\n3,Lost,\n4,Wonn,\n")
		sum, _ := run(t, baseOptions(t, input, c))
		if sum.Counts[report.Succeeded] != 3 {
			t.Fatalf("import counts %v", sum.Counts)
		}
		plan, err := PlanUndo(sum.ReportPath, source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(plan.Leads, ",") != "1-leads,3-leads" {
			t.Fatalf("undo plan %v, want 1-leads and 3-leads (2-leads was closed before)", plan.Leads)
		}
		o := baseOptions(t, sum.ReportPath, c)
		usum, err := Undo(context.Background(), UndoOptions{Input: o.Input, Client: o.Client, Workers: o.Workers, Rate: o.Rate, Log: o.Log, Now: o.Now})
		if err != nil {
			t.Fatal(err)
		}
		rows := readReport(t, usum.ReportPath)
		checkEveryRowOnce(t, rows, 5)
		for _, id := range []string{"1-leads", "3-leads"} {
			if l, _ := srv.Lead(id); l.Status != "open" {
				t.Errorf("%s status %q after undo, want open", id, l.Status)
			}
		}
		if l, _ := srv.Lead("2-leads"); l.Status == "open" {
			t.Error("undo reopened a lead that was closed before the import")
		}
		if report.Result(rows[2]["import_result"]) != report.Skipped || !strings.Contains(rows[2]["import_error"], "the import skipped this row") {
			t.Errorf("row for 2-leads: %v", rows[2])
		}
		if rows[0]["Won"] != "" || rows[0]["outcome"] != "Won" {
			t.Errorf("undo report lost the input columns: %v", rows[0])
		}
	})
}

func TestLeadNumbers(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		n7, n8 := fake.LeadNumber(7), fake.LeadNumber(8)
		input := writeFile(t, "in.csv", fmt.Sprintf("lead_number,outcome\n%d,Won\n%d,Lost\n1,Won\n", n7, n8))
		_, rows := run(t, baseOptions(t, input, c))
		if rows[0]["import_lead_id"] != "7-leads" || srv.Applied("7-leads") != 1 || srv.Applied("8-leads") != 1 {
			t.Errorf("lead numbers not resolved through the API: %v", rows[:2])
		}
		if report.Result(rows[2]["import_result"]) != report.Invalid {
			t.Errorf("an unknown lead number: %v", rows[2])
		}
	})
}

// Lead numbers are found a hundred to a read where the server takes several
// numbers in one filter, else one read each (the switch learnt once); every
// look-up is paced and counted as a read.
func TestLeadNumbersInBatches(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		const n = 250
		srv, c := newFake(t, withKind(fake.Options{Leads: 1000}, kind))
		var b strings.Builder
		b.WriteString("lead_number,outcome\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "%d,Won\n", fake.LeadNumber(i))
		}
		b.WriteString("1,Won\n") // no lead has this number
		o := baseOptions(t, writeFile(t, "in.csv", b.String()), c)
		o.DryRun, o.Check = true, true
		sum, rows := run(t, o)
		checkEveryRowOnce(t, rows, n+1)
		for i, r := range rows[:n] {
			if want := fmt.Sprintf("%d-leads", i+1); r["import_lead_id"] != want || r["import_result"] != string(report.DryRun) {
				t.Fatalf("row %d: lead %q, %s %q; want %s", i+2, r["import_lead_id"], r["import_result"], r["import_error"], want)
			}
		}
		if r := rows[n]; report.Result(r["import_result"]) != report.Invalid {
			t.Errorf("an unknown lead number: %v", r)
		}
		lookups := 0
		for _, req := range srv.Requests() {
			if req.Path == "/rest/leads" {
				lookups++
			}
		}
		// Three batched reads, then one for the number they did not find;
		// where several numbers in one filter are refused, the first batch
		// and then one read per number (by filter or by search, with one
		// refused filter read where filters are ignored).
		play := withKind(fake.Options{}, kind)
		budget := 3 + 1
		if play.NoCommaIDs || play.IgnoreFilters {
			budget = 1 + (n + 1) + 1
		}
		if lookups > budget {
			t.Errorf("%d lead-number look-ups for %d numbers, want at most %d", lookups, n+1, budget)
		}
		if sum.Reads < lookups {
			t.Errorf("summary counts %d reads, the run made %d look-ups", sum.Reads, lookups)
		}
	})
}
