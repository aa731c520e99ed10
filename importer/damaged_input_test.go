package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/cli"
	"github.com/leadstatus/leadstatus/importer/fake"
)

const (
	cliUser = "ops@example.com"
	cliKey  = "cli-test-key-7d2e"
)

// damagedCSV is 250 good rows (rows 2 to 251), then on row 252 a quoted cell
// that is never closed.
func damagedCSV() string {
	var b strings.Builder
	b.WriteString("lead,outcome\n")
	for i := 1; i <= 250; i++ {
		fmt.Fprintf(&b, "%d,Won\n", i)
	}
	b.WriteString("251,\"Won\n252,Lost\n")
	return b.String()
}

// importCLI runs "leadstatus import" with credentials for a fresh fake and
// returns the fake, the command's error and what it printed to stderr.
func importCLI(t *testing.T, kind fake.Kind, stdin string, args ...string) (*fake.Server, error, string) {
	t.Helper()
	o := fake.Options{Username: cliUser, APIKey: cliKey}
	kind.Apply(&o)
	srv := fake.New(o)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	env := map[string]string{"NUTSHELL_USERNAME": cliUser, "NUTSHELL_API_KEY": cliKey, "NUTSHELL_API_URL": ts.URL + "/rest"}
	var out, errOut bytes.Buffer
	sys := &cli.IO{
		In:     strings.NewReader(stdin),
		Out:    &out,
		Err:    &errOut,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return time.Date(2026, 11, 24, 10, 15, 0, 0, time.UTC) },
	}
	args = append([]string{"import"}, args...)
	args = append(args, "--rate", "1000", "-q")
	err := cli.Run(context.Background(), context.Background(), args, sys)
	return srv, err, errOut.String()
}

// Damaged input stops the run before anything happens, in every mode and
// whether the input is a file or standard input: exit 2, no update sent, no
// report written, and the error names the row.
func TestDamagedInputStopsBeforeAnything(t *testing.T) {
	for _, kind := range fake.Kinds() {
		t.Run(kind.Name, func(t *testing.T) {
			t.Parallel()
			tests := []struct {
				name  string
				stdin bool
				flags []string
			}{
				{"file", false, nil},                                                // a real run pre-scans the file
				{"file --dry-run", false, []string{"--dry-run"}},                    // a dry run must too
				{"file --dry-run --check", false, []string{"--dry-run", "--check"}}, // and a check
				{"stdin", true, nil},                                                // standard input is spooled and pre-scanned
				{"stdin --dry-run", true, []string{"--dry-run"}},
				{"stdin --dry-run --check", true, []string{"--dry-run", "--check"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					dir := t.TempDir()
					reportPath := filepath.Join(dir, "report.csv")
					input, stdin := "-", damagedCSV()
					if !tt.stdin {
						input, stdin = filepath.Join(dir, "damaged.csv"), ""
						if err := os.WriteFile(input, []byte(damagedCSV()), 0o600); err != nil {
							t.Fatal(err)
						}
					}
					args := append([]string{input, "--report", reportPath}, tt.flags...)
					srv, err, stderr := importCLI(t, kind, stdin, args...)
					if code := cli.ExitCode(err); code != cli.ExitUsage {
						t.Errorf("exit %d (%v), want %d: input errors stop the run with nothing sent", code, err, cli.ExitUsage)
					}
					for _, req := range srv.Requests() {
						if req.Method != http.MethodGet {
							t.Fatalf("sent %s %s for a damaged input", req.Method, req.Path)
						}
					}
					if _, statErr := os.Stat(reportPath); !errors.Is(statErr, os.ErrNotExist) {
						t.Errorf("a report was written for a damaged input (%v); the run must stop before anything happens", statErr)
					}
					if !strings.Contains(stderr, "row 252") {
						t.Errorf("error %q does not name row 252", strings.TrimSpace(stderr))
					}
				})
			}
		})
	}
}
