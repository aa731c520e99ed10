package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// No file a run reads may be overwritten by what it writes, even with --force.
func TestReportNeverOverwritesWhatTheRunReads(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		dir := t.TempDir()
		input := copySample(t, dir, "custom-headers.csv")
		mappingFile := copySample(t, dir, "custom-headers.mapping.yaml")
		keyFile := filepath.Join(dir, "key.txt")
		if err := os.WriteFile(keyFile, []byte(key), 0o600); err != nil {
			t.Fatal(err)
		}
		base, _ := fakeURL(t, withKind(fake.Options{}, kind))
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY_FILE": keyFile}
		common := []string{"import", input, "--url", base, "--mapping", mappingFile, "--force", "--rate", "1000"}
		// A first run gives a report (and its .meta.json) to resume from.
		first := filepath.Join(dir, "first.csv")
		if err, _, stderr := runCLI(t, env, append(common, "--report", first)...); err != nil && ExitCode(err) == ExitUsage {
			t.Fatalf("first run: %v %s", err, stderr)
		}
		link := filepath.Join(dir, "link-to-input.csv")
		if err := os.Symlink(input, link); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			report string
			extra  []string
		}{
			// The input itself.
			{"input", input, nil},
			// The input through a symbolic link.
			{"input via a link", link, nil},
			// The input by a path with other components.
			{"input via ..", filepath.Join(dir, "..", filepath.Base(dir), "custom-headers.csv"), nil},
			// The mapping file.
			{"mapping file", mappingFile, nil},
			// The API key file.
			{"key file", keyFile, nil},
			// The report being resumed.
			{"resumed report", first, []string{"--resume", first}},
			// The resumed report's .meta.json.
			{"resumed meta", first + ".meta.json", []string{"--resume", first}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := snapshot(t, dir)
				args := append(append(append([]string{}, common...), "--report", tt.report), tt.extra...)
				err, _, stderr := runCLI(t, env, args...)
				if ExitCode(err) != ExitUsage || !strings.Contains(stderr, "which this run reads") {
					t.Fatalf("exit %d (%s), want 2 and a message that the run reads that file", ExitCode(err), stderr)
				}
				if after := snapshot(t, dir); after != before {
					t.Errorf("files changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	})
}

// snapshot is the folder's file names and contents.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b.WriteString(e.Name() + "\n" + string(data) + "\n")
	}
	return b.String()
}

// --check reads from Nutshell: without credentials it stops before reading.
func TestCheckWithoutCredentials(t *testing.T) {
	input := copySample(t, t.TempDir(), "quarter-end.csv")
	err, _, stderr := runCLI(t, map[string]string{}, "import", "--dry-run", "--check", input)
	if ExitCode(err) != ExitUsage || !strings.Contains(stderr, "NUTSHELL_API_KEY") {
		t.Fatalf("exit %d (%s), want 2 naming the credentials", ExitCode(err), stderr)
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(input), "*.report-*"))
	if len(matches) > 0 {
		t.Errorf("a report was written: %v", matches)
	}
}
