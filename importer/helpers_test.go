package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/fake/contract"
	"github.com/leadstatus/leadstatus/importer/nutshell"
)

const (
	testUser = "ops@example.com"
	testKey  = "test-key-5f1c2a"
)

// newFake starts the fake API and a client for it. The fake holds every
// request to Nutshell's published OpenAPI: one the document rejects is
// answered 400 and fails the test.
func newFake(t *testing.T, o fake.Options) (*fake.Server, *nutshell.Client) {
	t.Helper()
	return newFakeTimeout(t, o, 2*time.Second)
}

// newFakeTimeout is newFake with a client whose requests time out after timeout.
func newFakeTimeout(t *testing.T, o fake.Options, timeout time.Duration) (*fake.Server, *nutshell.Client) {
	t.Helper()
	o.Username, o.APIKey = testUser, testKey
	o.RecordBodies = true
	o.CheckRequest = contract.Hook(t)
	if o.Leads == 0 {
		o.Leads = 100000
	}
	srv := fake.New(o)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: testUser, APIKey: testKey, Timeout: timeout})
	if err != nil {
		t.Fatalf("nutshell.New: %v", err)
	}
	return srv, c
}

// baseOptions returns options for a fast test run writing its report in a temp dir.
func baseOptions(t *testing.T, input string, c *nutshell.Client) Options {
	t.Helper()
	return Options{
		Input:       input,
		ReportPath:  filepath.Join(t.TempDir(), "report.csv"),
		LockDir:     t.TempDir(),
		Client:      c,
		Workers:     8,
		Rate:        2000,
		StartRate:   2000, // no slow start: these runs go at thousands per second
		Burst:       50,
		Retries:     6,
		BackoffBase: time.Millisecond,
		BackoffMax:  20 * time.Millisecond,
		Log:         zerolog.New(zerolog.NewTestWriter(t)),
	}
}

// writeFile writes a test input file and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// reportRow is one line of a CSV report, by column name.
type reportRow map[string]string

// readReport reads a CSV report back as written (neutralised cells keep
// their leading quote).
func readReport(t *testing.T, path string) []reportRow {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read report: %v", err)
	}
	return parseReport(t, data)
}

// parseReport reads a CSV report's bytes back, by column name.
func parseReport(t *testing.T, data []byte) []reportRow {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("parse report: %v", err)
	}
	if len(recs) == 0 {
		t.Fatal("report is empty")
	}
	var rows []reportRow
	for _, rec := range recs[1:] {
		row := reportRow{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// run runs an import and fails the test on a setup error.
func run(t *testing.T, o Options) (*Summary, []reportRow) {
	t.Helper()
	sum, err := Run(context.Background(), o)
	if sum == nil {
		t.Fatalf("Run: %v", err)
	}
	return sum, readReport(t, sum.ReportPath)
}

// checkEveryRowOnce asserts the report lists rows 2..n+1 exactly once each, in order.
func checkEveryRowOnce(t *testing.T, rows []reportRow, dataRows int) {
	t.Helper()
	if len(rows) != dataRows {
		t.Fatalf("report has %d rows, input has %d", len(rows), dataRows)
	}
	prev := 0
	for _, r := range rows {
		n, err := strconv.Atoi(r["import_row"])
		if err != nil || n <= prev {
			t.Fatalf("import_row %q after %d: rows missing, repeated or out of order", r["import_row"], prev)
		}
		prev = n
	}
}

// newFakeWithKey starts the fake and a client that uses key instead of the right one.
func newFakeWithKey(t *testing.T, kind fake.Kind, key string) (*fake.Server, *nutshell.Client) {
	t.Helper()
	srv := fake.New(withKind(fake.Options{Username: testUser, APIKey: testKey, RecordBodies: true, CheckRequest: contract.Hook(t)}, kind))
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: testUser, APIKey: nutshell.Secret(key), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func readSample(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "samples", name))
}

// forEachKind runs body as a parallel subtest, named by the kind, against
// each kind of server the fake plays; body starts its fake with
// withKind. The subtests share nothing: each has its own fake and files.
func forEachKind(t *testing.T, body func(t *testing.T, kind fake.Kind)) {
	t.Helper()
	for _, k := range fake.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			t.Parallel()
			body(t, k)
		})
	}
}

// withKind returns o as kind plays it.
func withKind(o fake.Options, kind fake.Kind) fake.Options {
	kind.Apply(&o)
	return o
}

// sameRowsNotesAside asserts two reports give every row the same result,
// lead and error, whatever their notes say: a kind of server may add a note
// for a check it cannot make, never change a result.
func sameRowsNotesAside(t *testing.T, kind string, want, got []reportRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", kind, len(got), len(want))
	}
	for i := range want {
		for _, col := range []string{"import_row", "import_result", "import_lead_id", "import_error"} {
			if got[i][col] != want[i][col] {
				t.Errorf("%s: row %s %s = %q, want %q (as the helpful server gives it)", kind, want[i]["import_row"], col, got[i][col], want[i][col])
			}
		}
	}
}

// noMapsOfLead reports whether a kind of server shows no way to find a
// lead's competitor maps: its leads do not name them and it does not list
// them by lead (or lists maps that name no lead). A competitor named in a
// row cannot be resolved there.
func noMapsOfLead(o fake.Options) bool {
	return (o.NoCompetitorLinks || o.HideMaps) && (o.RefuseUndeclaredQuery || o.IgnoreFilters || o.MapsNameNoLead)
}

// forEachKindInTurn is forEachKind for a test that sets the environment,
// which parallel subtests may not: the kinds run one after another.
func forEachKindInTurn(t *testing.T, body func(t *testing.T, kind fake.Kind)) {
	t.Helper()
	for _, k := range fake.Kinds() {
		t.Run(k.Name, func(t *testing.T) { body(t, k) })
	}
}
