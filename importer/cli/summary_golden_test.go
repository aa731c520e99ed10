package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
)

var update = flag.Bool("update", false, "rewrite the golden summaries in testdata")

// The summary is a contract for people and for scripts: golden files hold it
// for the samples, console and JSON alike (go test ./importer/cli/ -update
// rewrites them after review).
func TestGoldenSummaries(t *testing.T) {
	tests := []struct {
		name   string
		sample string
		args   []string
	}{
		// Invalid rows among good ones: reasons grouped by kind.
		{"has-errors", "has-errors.csv", nil},
		// The plan of a read-only check.
		{"quarter-end-check", "quarter-end.csv", []string{"--dry-run", "--check"}},
	}
	for _, tt := range tests {
		for _, format := range []string{"console", "json"} {
			t.Run(tt.name+"-"+format, func(t *testing.T) {
				dir := t.TempDir()
				input := copySample(t, dir, tt.sample)
				base, _ := fakeURL(t, fake.Options{})
				env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key}
				args := append([]string{"import", input, "--url", base, "--report", filepath.Join(dir, "report.csv"), "-q", "--log-format", format}, tt.args...)
				_, stdout, _ := runCLI(t, env, args...)
				got := strings.ReplaceAll(stdout, dir, "DIR")
				golden := filepath.Join("testdata", "summary-"+tt.name+"."+map[string]string{"console": "txt", "json": "json"}[format])
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (go test ./importer/cli/ -update writes it)", err)
				}
				if got != string(want) {
					t.Errorf("summary differs from %s (-update rewrites it after review):\ngot:\n%s\nwant:\n%s", golden, got, want)
				}
				if format != "json" {
					return
				}
				// Every kind of server gives the same results; only what the
				// run learnt of the server (and the notes) may differ.
				forEachKind(t, func(t *testing.T, kind fake.Kind) {
					dir := t.TempDir()
					input := copySample(t, dir, tt.sample)
					base, _ := fakeURL(t, withKind(fake.Options{}, kind))
					args := append([]string{"import", input, "--url", base, "--report", filepath.Join(dir, "report.csv"), "-q", "--log-format", format}, tt.args...)
					_, stdout, _ := runCLI(t, env, args...)
					if g, w := summaryResults(t, stdout), summaryResults(t, string(want)); g != w {
						t.Errorf("results %s, want %s as the helpful server gives them", g, w)
					}
				})
			})
		}
	}
}

// summaryResults is the rows and results of a JSON summary, as text.
func summaryResults(t *testing.T, out string) string {
	t.Helper()
	var sum struct {
		Rows    int            `json:"rows"`
		Results map[string]int `json:"results"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &sum); err != nil {
		t.Fatalf("summary is not one JSON object: %v\n%s", err, out)
	}
	return fmt.Sprintf("%d rows %v", sum.Rows, sum.Results)
}
