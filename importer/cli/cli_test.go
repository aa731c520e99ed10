package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/fake/contract"
)

const (
	user = "ops@example.com"
	key  = "k3y-Sup3r-S3cret-0a9f"
)

// testIO returns an IO over buffers with the given environment.
func testIO(env map[string]string) (*IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &IO{
		In:     strings.NewReader(""),
		Out:    &out,
		Err:    &errOut,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return time.Date(2026, 11, 24, 10, 15, 0, 0, time.UTC) },
	}, &out, &errOut
}

// fakeURL starts the fake API accepting user/key and returns its base URL.
func fakeURL(t *testing.T, o fake.Options) (string, *fake.Server) {
	t.Helper()
	o.Username, o.APIKey = user, key
	o.RecordBodies = true
	o.CheckRequest = contract.Hook(t) // a request the published API rejects fails the test
	srv := fake.New(o)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL + "/rest", srv
}

// forEachKind runs body as a parallel subtest, named by the kind, against
// each kind of server the fake plays; body applies kind to the options it
// starts the fake with. The subtests share nothing.
func forEachKind(t *testing.T, body func(t *testing.T, kind fake.Kind)) {
	t.Helper()
	for _, k := range fake.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			t.Parallel()
			body(t, k)
		})
	}
}

// forEachKindInTurn is forEachKind for a test that sets the environment,
// which parallel subtests may not: the kinds run one after another.
func forEachKindInTurn(t *testing.T, body func(t *testing.T, kind fake.Kind)) {
	t.Helper()
	for _, k := range fake.Kinds() {
		t.Run(k.Name, func(t *testing.T) { body(t, k) })
	}
}

// withKind returns o as kind plays it.
func withKind(o fake.Options, kind fake.Kind) fake.Options {
	kind.Apply(&o)
	return o
}

func copySample(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runCLI runs a command; commands that send get a high --rate so tests do
// not wait on the default pacing.
func runCLI(t *testing.T, env map[string]string, args ...string) (error, string, string) {
	t.Helper()
	if len(args) > 0 && (args[0] == "import" || args[0] == "undo") {
		args = append(args, "--rate", "1000", "--start-rate", "1000")
	}
	sys, out, errOut := testIO(env)
	err := Run(context.Background(), context.Background(), args, sys)
	return err, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		base, _ := fakeURL(t, withKind(fake.Options{}, kind))
		creds := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}
		dir := t.TempDir()
		tests := []struct {
			name string
			env  map[string]string
			args []string
			want error // nil, ErrRowsFailed, or a *UsageError (any)
		}{
			// Every row succeeds.
			{"all good", creds, []string{"import", copySample(t, dir, "quarter-end.csv"), "--report", filepath.Join(dir, "a.csv")}, nil},
			// Invalid rows among good ones.
			{"some invalid", creds, []string{"import", copySample(t, dir, "has-errors.csv"), "--report", filepath.Join(dir, "b.csv")}, ErrRowsFailed},
			// No credentials for a real run: nothing read or sent.
			{"no credentials", nil, []string{"import", filepath.Join(dir, "quarter-end.csv"), "--report", filepath.Join(dir, "c.csv")}, &UsageError{}},
			// A dry run needs none.
			{"dry run without credentials", nil, []string{"import", "--dry-run", filepath.Join(dir, "quarter-end.csv"), "--report", filepath.Join(dir, "d.csv")}, nil},
			// A missing input file.
			{"missing file", creds, []string{"import", filepath.Join(dir, "nope.csv")}, &UsageError{}},
			// An unknown flag.
			{"bad flag", creds, []string{"import", "--frobnicate", "x.csv"}, &UsageError{}},
			// The wrong key.
			{"wrong key", map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": "nope", "NUTSHELL_API_URL": base}, []string{"import", filepath.Join(dir, "quarter-end.csv"), "--report", filepath.Join(dir, "e.csv")}, &UsageError{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err, _, stderr := runCLI(t, tt.env, tt.args...)
				switch want := tt.want.(type) {
				case nil:
					if err != nil {
						t.Fatalf("err = %v, want nil; stderr:\n%s", err, stderr)
					}
				case *UsageError:
					if ExitCode(err) != ExitUsage {
						t.Fatalf("err = %v (%T), want a usage-class error; stderr:\n%s", err, err, stderr)
					}
					if !strings.HasPrefix(stderr, "leadstatus: ") && !strings.Contains(stderr, "\nleadstatus: ") {
						t.Errorf("stderr does not explain the error: %q", stderr)
					}
				default:
					if !errors.Is(err, want) {
						t.Fatalf("err = %v, want %v", err, want)
					}
				}
			})
		}
	})
}

func TestSummaryJSON(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		base, _ := fakeURL(t, withKind(fake.Options{}, kind))
		dir := t.TempDir()
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}
		err, stdout, _ := runCLI(t, env, "import", copySample(t, dir, "has-errors.csv"), "--log-format", "json", "--report", filepath.Join(dir, "r.csv"))
		if !errors.Is(err, ErrRowsFailed) {
			t.Fatalf("err = %v", err)
		}
		var sum struct {
			Event   string         `json:"event"`
			Rows    int            `json:"rows"`
			Results map[string]int `json:"results"`
			Report  string         `json:"report"`
		}
		if err := json.Unmarshal([]byte(strings.TrimSpace(stdout)), &sum); err != nil {
			t.Fatalf("summary is not one JSON object: %v\n%s", err, stdout)
		}
		if sum.Event != "summary" || sum.Rows != 10 || sum.Results["succeeded"] != 4 || sum.Results["invalid"] != 6 || sum.Report == "" {
			t.Errorf("summary %+v", sum)
		}
	})
}

func TestMockNeedsNoCredentials(t *testing.T) {
	dir := t.TempDir()
	err, stdout, stderr := runCLI(t, nil, "import", "--mock", copySample(t, dir, "quarter-end.csv"))
	if err != nil {
		t.Fatalf("import --mock: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "50 rows: 50 succeeded") {
		t.Errorf("summary:\n%s", stdout)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "quarter-end.report-20261124-101500.csv"))
	if len(matches) != 1 {
		t.Errorf("default report path not used; stdout:\n%s", stdout)
	}
}

// TestTheKeyNeverLeaks runs every mode, errors included, and looks for the
// key and its Base64 forms in everything the tool wrote.
func TestTheKeyNeverLeaks(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		base, _ := fakeURL(t, withKind(fake.Options{}, kind))
		roBase, _ := fakeURL(t, withKind(fake.Options{ReadOnlyKey: key}, kind))
		dir := t.TempDir()
		input := copySample(t, dir, "quarter-end.csv")
		bad := copySample(t, dir, "has-errors.csv")
		env := func(url string) map[string]string {
			return map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": url}
		}
		keyFile := filepath.Join(dir, "key.txt")
		if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		runs := []struct {
			env  map[string]string
			args []string
		}{
			{env(base), []string{"import", input, "-v", "--report", filepath.Join(dir, "r1.csv")}},
			{env(base), []string{"import", bad, "-v", "--log-format", "json", "--report", filepath.Join(dir, "r2.jsonl")}},
			{env(base), []string{"import", input, "--dry-run", "-v", "--report", filepath.Join(dir, "r3.xlsx")}},
			{env(roBase), []string{"import", input, "-v", "--report", filepath.Join(dir, "r4.csv")}},
			{env("http://127.0.0.1:1/rest"), []string{"import", input, "-v", "--retries", "0", "--report", filepath.Join(dir, "r5.csv")}},
			{env("http://example.com/rest"), []string{"import", input, "-v", "--report", filepath.Join(dir, "r6.csv")}},
			{map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY_FILE": keyFile, "NUTSHELL_API_URL": base}, []string{"import", input, "-v", "--report", filepath.Join(dir, "r7.csv")}},
			{map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key + "x", "NUTSHELL_API_URL": base}, []string{"import", input, "-v", "--report", filepath.Join(dir, "r8.csv")}},
			{env(base), []string{"lookup", "outcomes", "-v"}},
			{env(base), []string{"undo", filepath.Join(dir, "r1.csv"), "--yes", "-v", "--report", filepath.Join(dir, "u1.csv")}},
			{env(base), []string{"import", filepath.Join(dir, "missing.csv")}},
		}
		forbidden := []string{
			key,
			base64.StdEncoding.EncodeToString([]byte(key)),
			base64.StdEncoding.EncodeToString([]byte(user + ":" + key)),
			base64.StdEncoding.EncodeToString([]byte(user + ":" + key + "x")),
		}
		for _, r := range runs {
			_, stdout, stderr := runCLI(t, r.env, r.args...)
			for _, f := range forbidden {
				if strings.Contains(stdout+stderr, f) {
					t.Errorf("%v: output contains the key (%q)", r.args, f)
				}
			}
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		if len(files) < 8 {
			t.Fatalf("only %d files written; the runs did not get far enough to test anything", len(files))
		}
		for _, path := range files {
			if path == keyFile {
				continue
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range forbidden {
				if bytes.Contains(data, []byte(f)) {
					t.Errorf("%s contains the key (%q)", filepath.Base(path), f)
				}
			}
		}
	})
}
