package bench_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
)

// TestGeneratedRowsAreValid checks that the generated files measure real
// work: leadstatus accepts every row of the CSV and of the XLSX, resolves
// the outcome names, and would send exactly Lead.Body, the body the curl
// scripts send.
func TestGeneratedRowsAreValid(t *testing.T) {
	bench.Heavy(t)
	const rows = 300
	tests := []struct {
		name  string
		file  string
		write func(string, int) error
	}{
		{"CSV with typed prices", "leads.csv", bench.WriteCSV},     // "1,250.50" as text
		{"XLSX with numeric cells", "leads.xlsx", bench.WriteXLSX}, // IDs, quantities and prices as numbers
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, tt.file)
			if err := tt.write(in, rows); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "report.csv")
			f := startFake(t, fake.Options{Leads: rows})
			sum, err := importer.Run(context.Background(), importer.Options{
				Input: in, ReportPath: out, DryRun: true, Client: client(t, f), Log: zerolog.Nop(),
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if sum.Counts[report.DryRun] != rows {
				t.Fatalf("counts %v, want %d dry-run", sum.Counts, rows)
			}
			for i, row := range readReport(t, out) {
				l := bench.LeadAt(i + 1)
				if row["import_body"] != l.Body() || row["import_lead_id"] != l.APIID() {
					t.Fatalf("row %d: body %s for %s, want %s for %s", i+2, row["import_body"], row["import_lead_id"], l.Body(), l.APIID())
				}
			}
		})
	}
}

// TestCurlScriptsSendWhatLeadstatusSends checks the comparison is fair: each
// script makes one POST per row, to the row's lead, with leadstatus's body.
func TestCurlScriptsSendWhatLeadstatusSends(t *testing.T) {
	bench.Heavy(t)
	for _, tool := range []string{"bash", "curl", "awk", "xargs"} {
		bench.NeedTool(t, tool)
	}
	const rows = 20
	in := filepath.Join(t.TempDir(), "requests.tsv")
	if err := bench.WriteRequests(in, rows); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		script string
	}{
		{"sequential loop", "curl-seq.sh"}, // one curl after another
		{"xargs -P 16", "curl-xargs.sh"},   // sixteen at a time, no shell per row
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := startFake(t, fake.Options{Leads: rows, RecordBodies: true})
			cmd := exec.Command("bash", tt.script, in)
			cmd.Env = append(os.Environ(), f.Env()...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v: %s", tt.script, err, stderr.String())
			}
			if got := strings.Count(string(out), "200\n"); got != rows {
				t.Errorf("%d answers 200, want %d: %q", got, rows, out)
			}
			for i := 1; i <= rows; i++ {
				l := bench.LeadAt(i)
				bodies := f.Server.AppliedBodies(l.APIID())
				if len(bodies) != 1 || string(bodies[0]) != l.Body() {
					t.Errorf("lead %s got bodies %q, want once %s", l.APIID(), bodies, l.Body())
				}
			}
		})
	}
}

func startFake(t *testing.T, o fake.Options) *bench.Fake {
	t.Helper()
	f, err := bench.StartFake(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Errorf("close the fake: %v", err)
		}
	})
	return f
}

func client(t *testing.T, f *bench.Fake) *nutshell.Client {
	t.Helper()
	c, err := nutshell.New(nutshell.Config{BaseURL: f.URL, Username: bench.User, APIKey: bench.APIKey, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readReport returns the report's data rows as column → value.
func readReport(t *testing.T, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}
