package importer

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/mapping"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden")

// goldenNow is the fixed clock of golden runs.
var goldenNow = time.Date(2026, 11, 24, 10, 15, 0, 0, time.UTC)

// goldenCase is one run whose reports are golden files.
type goldenCase struct {
	name    string // testdata/golden/<name>.csv and .jsonl
	sample  string // in samples/
	sheet   string
	mapping string // a mapping file in samples/, or ""
	dryRun  bool
	check   bool
}

// The report is the product's contract: any change to a sample's report shows
// in the diff of these files.
var goldenCases = []goldenCase{
	{name: "quarter-end", sample: "quarter-end.csv"},                                               // closes with outcomes, products, competitor maps
	{name: "migration", sample: "migration.xlsx"},                                                  // XLSX, rows of one lead merged
	{name: "migration-second-batch", sample: "migration.xlsx", sheet: "Second batch"},              // the second sheet
	{name: "custom-headers", sample: "custom-headers.csv", mapping: "custom-headers.mapping.yaml"}, // a mapping file
	{name: "has-errors", sample: "has-errors.csv"},                                                 // invalid rows among good ones
	{name: "quarter-end-dry-run", sample: "quarter-end.csv", dryRun: true},                         // --dry-run
	{name: "quarter-end-dry-run-check", sample: "quarter-end.csv", dryRun: true, check: true},      // --dry-run --check
	// Open deal stages mapped to skip.
	{name: "hubspot-deals", sample: "hubspot-deals.csv", mapping: "hubspot-deals.mapping.yaml"},
	// Title rows above the header, a currency on every row, open stages mapped to skip.
	{name: "salesforce-opportunities", sample: "salesforce-opportunities.csv", mapping: "salesforce-opportunities.mapping.yaml"},
}

func TestGoldenReports(t *testing.T) {
	for _, gc := range goldenCases {
		for _, ext := range []string{".csv", ".jsonl"} {
			t.Run(gc.name+ext, func(t *testing.T) {
				got := goldenReport(t, gc, fake.Options{}, ext)
				checkGolden(t, filepath.Join("testdata", "golden", gc.name+ext), got)
				if ext != ".csv" {
					return // the rows are the same in every format
				}
				// Every kind of server gives every row the helpful server's
				// result; only the notes may say what could not be checked.
				want := parseReport(t, got)
				forEachKind(t, func(t *testing.T, kind fake.Kind) {
					sameRowsNotesAside(t, kind.Name, want, parseReport(t, goldenReport(t, gc, withKind(fake.Options{}, kind), ext)))
				})
			})
		}
	}
}

// goldenReport runs gc against a fresh seeded fake with a fixed clock and
// jitter and returns the report's bytes. Workers stay at the default so the
// goldens also pin that concurrency does not change the report.
func goldenReport(t *testing.T, gc goldenCase, kind fake.Options, ext string) []byte {
	t.Helper()
	kind.Seed = 1
	_, c := newFake(t, kind)
	o := baseOptions(t, samplePath(gc.sample), c)
	o.ReportPath = filepath.Join(t.TempDir(), "report"+ext)
	o.Workers = DefaultWorkers
	o.Source.Sheet = gc.sheet
	o.DryRun, o.Check = gc.dryRun, gc.check
	o.Now = func() time.Time { return goldenNow }
	o.Random = func() float64 { return 0.5 }
	if gc.mapping != "" {
		data, err := readSample(gc.mapping)
		if err != nil {
			t.Fatal(err)
		}
		if o.Config, err = mapping.ParseConfig(data); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := Run(context.Background(), o)
	if sum == nil {
		t.Fatalf("Run: %v", err)
	}
	data, err := os.ReadFile(sum.ReportPath)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkGolden compares got with the golden file at path byte for byte, or
// rewrites the file with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./importer/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the report written (go test ./importer/ -update rewrites it after review):\n%s", path, lineDiff(want, got))
	}
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got []byte) string {
	w := bytes.Split(want, []byte("\n"))
	g := bytes.Split(got, []byte("\n"))
	var b bytes.Buffer
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 5; i++ {
		var wl, gl []byte
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if !bytes.Equal(wl, gl) {
			shown++
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
