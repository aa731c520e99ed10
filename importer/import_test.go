package importer

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

func samplePath(name string) string { return filepath.Join("..", "samples", name) }

func TestQuarterEndSample(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		sum, rows := run(t, baseOptions(t, samplePath("quarter-end.csv"), c))
		checkEveryRowOnce(t, rows, 50)
		if sum.Counts[report.Succeeded] != 50 {
			t.Fatalf("counts %v, want 50 succeeded", sum.Counts)
		}
		status := map[string]string{"Won": "won", "Lost": "lost", "Cancelled": "cancelled"}
		for _, r := range rows {
			lead := r["import_lead_id"]
			if got := srv.Applied(lead); got != 1 {
				t.Errorf("row %s: lead %s applied %d times, want 1", r["import_row"], lead, got)
			}
			bodies := srv.AppliedBodies(lead)
			if len(bodies) != 1 || string(bodies[0]) != r["import_body"] {
				t.Errorf("row %s: sent %q, report says %q", r["import_row"], bodies, r["import_body"])
			}
			l, _ := srv.Lead(lead)
			if want := status[r["Outcome"]]; l.Status != want || r["import_lead_status"] != want {
				t.Errorf("row %s: lead status %q, report %q, want %q", r["import_row"], l.Status, r["import_lead_status"], want)
			}
			if len(r["import_request_id"]) != 32 || r["import_http_status"] != "200" || r["import_attempts"] != "1" {
				t.Errorf("row %s: request id %q status %q attempts %q", r["import_row"], r["import_request_id"], r["import_http_status"], r["import_attempts"])
			}
		}
	})
}

func TestDryRunShowsTheBytesARealRunSends(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		for _, sample := range []string{"quarter-end.csv", "migration.xlsx"} {
			t.Run(sample, func(t *testing.T) {
				dry, c := newFake(t, withKind(fake.Options{}, kind))
				o := baseOptions(t, samplePath(sample), c)
				o.DryRun = true
				sum, dryRows := run(t, o)
				if sum.Counts[report.DryRun] != len(dryRows) {
					t.Fatalf("dry-run counts %v, want all %d rows dry-run", sum.Counts, len(dryRows))
				}
				for _, req := range dry.Requests() {
					if req.Method != "GET" {
						t.Fatalf("dry run sent %s %s", req.Method, req.Path)
					}
				}
				srv, c2 := newFake(t, withKind(fake.Options{}, kind))
				_, realRows := run(t, baseOptions(t, samplePath(sample), c2))
				for i, r := range realRows {
					if r["import_body"] != dryRows[i]["import_body"] {
						t.Errorf("row %s: real body %q, dry-run body %q", r["import_row"], r["import_body"], dryRows[i]["import_body"])
					}
					bodies := srv.AppliedBodies(r["import_lead_id"])
					if len(bodies) != 1 || string(bodies[0]) != dryRows[i]["import_body"] {
						t.Errorf("row %s: server got %q, dry-run showed %q", r["import_row"], bodies, dryRows[i]["import_body"])
					}
				}
			})
		}
	})
}

func TestMigrationSampleMergesProducts(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		sum, rows := run(t, baseOptions(t, samplePath("migration.xlsx"), c))
		checkEveryRowOnce(t, rows, 8)
		if sum.Counts[report.Succeeded] != 8 {
			t.Fatalf("counts %v", sum.Counts)
		}
		if n := srv.Applied("403-leads"); n != 1 {
			t.Fatalf("403-leads applied %d times, want 1 merged update", n)
		}
		var body mapping.Body
		if err := json.Unmarshal(srv.AppliedBodies("403-leads")[0], &body); err != nil {
			t.Fatal(err)
		}
		if len(body.ProductMaps) != 3 || body.ProductMaps[0].Links.Product != "3-products" || body.ProductMaps[0].Price.Amount != "12000.50" || body.ProductMaps[0].Price.Currency != "EUR" {
			t.Errorf("merged body %+v", body)
		}
		for _, r := range rows {
			if r["Lead ID"] == "403" && r["import_body"] != string(srv.AppliedBodies("403-leads")[0]) {
				t.Errorf("row %s of a merged lead does not show the merged body", r["import_row"])
			}
		}
	})
}

func TestSecondSheet(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		_, c := newFake(t, withKind(fake.Options{}, kind))
		o := baseOptions(t, samplePath("migration.xlsx"), c)
		o.Source.Sheet = "Second batch"
		sum, rows := run(t, o)
		checkEveryRowOnce(t, rows, 3)
		if sum.Counts[report.Succeeded] != 3 {
			t.Fatalf("counts %v", sum.Counts)
		}
	})
}

func TestCustomHeadersWithMapping(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		cfgData, err := readSample("custom-headers.mapping.yaml")
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := mapping.ParseConfig(cfgData)
		if err != nil {
			t.Fatal(err)
		}
		o := baseOptions(t, samplePath("custom-headers.csv"), c)
		o.Config = cfg
		sum, rows := run(t, o)
		checkEveryRowOnce(t, rows, 6)
		if sum.Counts[report.Succeeded] != 6 {
			t.Fatalf("counts %v; rows %v", sum.Counts, rows)
		}
		if l, _ := srv.Lead("204-leads"); l.Status != "cancelled" {
			t.Errorf("204-leads status %q, want cancelled (Dead → Cancelled)", l.Status)
		}
		if got := string(srv.AppliedBodies("203-leads")[0]); !strings.Contains(got, `"amount":"99.00","currency":"USD"`) {
			t.Errorf("203-leads body %s lacks the default currency", got)
		}
	})
}

func TestHasErrorsSample(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		sum, rows := run(t, baseOptions(t, samplePath("has-errors.csv"), c))
		checkEveryRowOnce(t, rows, 10)
		want := map[string]report.Result{ // note column → result
			"good":                       report.Succeeded,
			"typo in the outcome":        report.Invalid,
			"a contact ID, not a lead":   report.Invalid,
			"fractional quantity":        report.Invalid,
			"nothing to send":            report.Invalid,
			"comma decimal price":        report.Invalid,
			"lead repeated further down": report.Invalid,
		}
		for _, r := range rows {
			if got := report.Result(r["import_result"]); got != want[r["note"]] {
				t.Errorf("row %s (%s): %s, want %s (%s)", r["import_row"], r["note"], got, want[r["note"]], r["import_error"])
			}
			if report.Result(r["import_result"]) == report.Invalid && r["import_error"] == "" {
				t.Errorf("row %s invalid with no reason", r["import_row"])
			}
		}
		if !strings.Contains(rows[1]["import_error"], "Won") {
			t.Errorf("unknown outcome error %q does not list the known outcomes", rows[1]["import_error"])
		}
		if !strings.Contains(rows[8]["import_error"], "row 2") {
			t.Errorf("repeat error %q does not name the earlier row", rows[8]["import_error"])
		}
		if srv.Applied("301-leads") != 1 || sum.Counts[report.Succeeded] != 4 {
			t.Errorf("301-leads applied %d times; counts %v", srv.Applied("301-leads"), sum.Counts)
		}
	})
}

func TestRejectedCredentialsStopTheRun(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		_, bad := newFakeWithKey(t, kind, "wrong-key")
		o := baseOptions(t, samplePath("quarter-end.csv"), bad)
		sum, err := Run(context.Background(), o)
		var setup *SetupError
		var fatal *FatalError
		if !errors.As(err, &setup) || !errors.As(err, &fatal) || sum != nil {
			t.Fatalf("Run with a wrong key: %v (summary %v), want a setup error for the credentials", err, sum)
		}
		if strings.Contains(err.Error(), "wrong-key") {
			t.Errorf("error %q shows the key", err)
		}
	})
}

func TestReportRefusesToOverwrite(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		_, c := newFake(t, withKind(fake.Options{}, kind))
		o := baseOptions(t, samplePath("quarter-end.csv"), c)
		o.DryRun = true
		run(t, o)
		if _, err := Run(context.Background(), o); err == nil {
			t.Fatal("second run overwrote the report without --force")
		}
		o.Force = true
		run(t, o)
	})
}

func TestHeaderOnlyFileIsNothingToDo(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		_, c := newFake(t, withKind(fake.Options{}, kind))
		sum, rows := run(t, baseOptions(t, writeFile(t, "empty.csv", "lead,outcome\r\n"), c))
		if len(rows) != 0 || sum.Rows != 0 {
			t.Fatalf("rows %v, summary %+v", rows, sum)
		}
	})
}

func TestDryRunWithoutCredentials(t *testing.T) {
	o := baseOptions(t, samplePath("quarter-end.csv"), nil)
	o.DryRun = true
	sum, rows := run(t, o)
	if sum.Counts[report.DryRun] != 50 {
		t.Fatalf("counts %v", sum.Counts)
	}
	if !strings.Contains(rows[0]["import_note"], "not checked") || rows[0]["import_error"] != "" {
		t.Errorf("row 2 note %q (error %q) does not say the outcome name was not checked", rows[0]["import_note"], rows[0]["import_error"])
	}
}
