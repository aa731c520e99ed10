package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
)

func TestLookupFormats(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		base, _ := fakeURL(t, withKind(fake.Options{}, kind))
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}
		tests := []struct {
			args  []string
			check func(t *testing.T, out string)
		}{
			// A table for people, with the outcome's status.
			{[]string{"lookup", "outcomes"}, func(t *testing.T, out string) {
				if !strings.Contains(out, "1-outcomes") || !strings.Contains(out, "Won") || !strings.Contains(out, "won") {
					t.Errorf("table:\n%s", out)
				}
			}},
			// CSV with a header, for a mapping file.
			{[]string{"lookup", "products", "--format", "csv"}, func(t *testing.T, out string) {
				if !strings.HasPrefix(out, "id,name\n1-products,Pro Plan\n") {
					t.Errorf("csv:\n%s", out)
				}
			}},
			// JSON for scripts.
			{[]string{"lookup", "competitors", "--format", "json"}, func(t *testing.T, out string) {
				var list []map[string]string
				if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 4 || list[0]["name"] != "Acme Corp" {
					t.Errorf("json %v: %s", err, out)
				}
			}},
		}
		for _, tt := range tests {
			t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
				err, out, stderr := runCLI(t, env, tt.args...)
				if err != nil {
					t.Fatalf("%v: %s", err, stderr)
				}
				tt.check(t, out)
			})
		}
		if err, _, _ := runCLI(t, env, "lookup", "widgets"); ExitCode(err) != ExitUsage {
			t.Errorf("lookup widgets: %v, want a usage error", err)
		}
	})
}

func TestUndoAsksBeforeChangingAnything(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		// Undo reads every report format import writes.
		for _, ext := range []string{".csv", ".jsonl", ".xlsx"} {
			t.Run(ext, func(t *testing.T) { testUndo(t, ext) })
		}
	})
}

func testUndo(t *testing.T, ext string) {
	base, srv := fakeURL(t, fake.Options{})
	env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}
	dir := t.TempDir()
	rep := filepath.Join(dir, "r"+ext)
	if err, _, stderr := runCLI(t, env, "import", copySample(t, dir, "quarter-end.csv"), "--report", rep); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	before := posts(srv)
	// No terminal and no --yes: refuse, send nothing.
	err, _, stderr := runCLI(t, env, "undo", rep)
	if ExitCode(err) != ExitUsage || !strings.Contains(stderr, "--yes") || posts(srv) != before {
		t.Fatalf("undo without --yes: %v\n%s", err, stderr)
	}
	// The plan says both what is reopened and which product maps go.
	maps := 0
	for _, l := range []string{"103-leads", "104-leads"} {
		pl, _ := srv.Lead(l)
		maps += len(pl.ProductMaps)
	}
	if !strings.Contains(stderr, "Plan: reopen 50 leads; take off ") || !strings.Contains(stderr, "Will take off: 1030001-productMaps, 1040001-productMaps") || maps != 2 {
		t.Errorf("undo plan:\n%s", stderr)
	}
	// With --yes every lead the import closed is reopened.
	if err, _, stderr := runCLI(t, env, "undo", rep, "--yes", "--report", filepath.Join(dir, "u"+ext)); err != nil {
		t.Fatalf("undo --yes: %v\n%s", err, stderr)
	}
	if got := posts(srv) - before; got != 50 {
		t.Errorf("undo sent %d requests, want 50 reopens", got)
	}
	if l, _ := srv.Lead("101-leads"); l.Status != "open" {
		t.Errorf("101-leads is %s after undo", l.Status)
	}
	if l, _ := srv.Lead("103-leads"); len(l.ProductMaps) != 0 {
		t.Errorf("103-leads keeps the products the import added: %+v", l.ProductMaps)
	}
}
