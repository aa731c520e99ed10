package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// TestNearMissHeaderStopsImport checks that a header one letter off a field
// name stops a real run with exit 2 and nothing sent, naming the way out.
func TestNearMissHeaderStopsImport(t *testing.T) {
	base, srv := fakeURL(t, fake.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(in, []byte("Lead ID,Outcom\n101,Won\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}
	err, _, stderr := runCLI(t, env, "import", in, "--report", filepath.Join(dir, "r.csv"))
	if ExitCode(err) != ExitUsage {
		t.Fatalf("exit %d (%v), want %d", ExitCode(err), err, ExitUsage)
	}
	for _, want := range []string{`"Outcom"`, `"outcome"`, "ignore:"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			t.Errorf("sent %s %s", r.Method, r.Path)
		}
	}
}

// TestDecimalCommaFlag checks that --decimal-comma reads 1.234,50 as
// 1234.50, and that without it the row is refused with a reason naming it.
func TestDecimalCommaFlag(t *testing.T) {
	base, srv := fakeURL(t, fake.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(in, []byte("lead_id;product;price\n101;1;1.234,50\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}

	report := filepath.Join(dir, "without.csv")
	err, _, _ := runCLI(t, env, "import", in, "--report", report)
	if !errors.Is(err, ErrRowsFailed) {
		t.Fatalf("without the flag: err %v, want rows failed", err)
	}
	if data, _ := os.ReadFile(report); !strings.Contains(string(data), "--decimal-comma") {
		t.Errorf("the refusal does not name --decimal-comma:\n%s", data)
	}

	err, _, stderr := runCLI(t, env, "import", in, "--decimal-comma", "--report", filepath.Join(dir, "with.csv"))
	if err != nil {
		t.Fatalf("with the flag: %v\n%s", err, stderr)
	}
	sent := ""
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			sent += string(r.Body)
		}
	}
	if !strings.Contains(sent, `"amount":"1234.50"`) {
		t.Errorf("sent %s, want the amount 1234.50", sent)
	}
}
