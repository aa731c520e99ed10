package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// posts counts the requests that change a lead.
func posts(srv *fake.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			n++
		}
	}
	return n
}

// reportResults reads a CSV report's import_result and import_error columns.
func reportResults(t *testing.T, path string) (results, errs []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, r := range recs[1:] {
		results = append(results, r[col["import_result"]])
		errs = append(errs, r[col["import_error"]])
	}
	return results, errs
}

// Running the same file twice is safe: against a server that would apply an
// outcome to a closed lead again, the second run sends nothing.
func TestRunningAFileTwice(t *testing.T) {
	tests := []struct {
		name      string
		sample    string
		extra     []string
		firstExit int // exit code of the first run
		// second run: the rows that are not skipped keep their first result
		secondExit int
	}{
		// Outcomes, competitors and products.
		{"quarter-end", "quarter-end.csv", nil, ExitOK, ExitOK},
		// Numeric cells and products over consecutive rows.
		{"migration", "migration.xlsx", nil, ExitOK, ExitOK},
		// Renamed columns and values.
		{"custom-headers", "custom-headers.csv", []string{"--mapping", "custom-headers.mapping.yaml"}, ExitOK, ExitOK},
		// Deals in open stages mapped to skip are left alone, and done.
		{"hubspot", "hubspot-deals.csv", []string{"--mapping", "hubspot-deals.mapping.yaml"}, ExitOK, ExitOK},
		// Title rows above the header, a currency on every row, open stages skipped.
		{"salesforce", "salesforce-opportunities.csv", []string{"--mapping", "salesforce-opportunities.mapping.yaml"}, ExitOK, ExitOK},
		// Invalid rows stay invalid; the good ones are done the first time.
		{"has-errors", "has-errors.csv", nil, ExitRowsFailed, ExitRowsFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			input := copySample(t, dir, tt.sample)
			for i, a := range tt.extra {
				if filepath.Ext(a) == ".yaml" {
					tt.extra[i] = copySample(t, dir, a)
				}
			}
			base, srv := fakeURL(t, fake.Options{OnClosed: fake.ApplyToClosed})
			env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key}
			run := func(report string) int {
				args := append([]string{"import", input, "--url", base, "--report", filepath.Join(dir, report)}, tt.extra...)
				err, _, stderr := runCLI(t, env, args...)
				if code := ExitCode(err); code == ExitUsage {
					t.Fatalf("%s: exit 2: %s", report, stderr)
				}
				return ExitCode(err)
			}
			if code := run("first.csv"); code != tt.firstExit {
				t.Fatalf("first run: exit %d, want %d", code, tt.firstExit)
			}
			sent := posts(srv)
			if sent == 0 {
				t.Fatal("the first run sent nothing")
			}
			if code := run("second.csv"); code != tt.secondExit {
				t.Errorf("second run: exit %d, want %d", code, tt.secondExit)
			}
			if again := posts(srv) - sent; again != 0 {
				t.Errorf("the second run sent %d updates; a re-run must send none", again)
			}
			first, _ := reportResults(t, filepath.Join(dir, "first.csv"))
			second, errs := reportResults(t, filepath.Join(dir, "second.csv"))
			for i := range first {
				want := "skipped"
				if first[i] != "succeeded" {
					want = first[i]
				}
				if second[i] != want {
					t.Errorf("row %d: second run %s (%s), want %s (first run: %s)", i+2, second[i], errs[i], want, first[i])
				}
			}
		})
	}
}

// --dry-run --check gives each row the result a real run gives (dry-run in
// place of succeeded), and the same exit code.
func TestCheckPredictsTheRealRun(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "in.csv")
	data := "lead,outcome,product,quantity\n" +
		"1,Won,,\n" + // open: sent
		"2,Won,,\n" + // closed as Won already: done
		"3,Lost,,\n" + // closed as Won, asked Lost: not changed
		"4,Lost,1-products,1\n" + // open: sent
		"999999999,Won,,\n" + // does not exist
		"5,Wonn,,\n" // invalid outcome
	if err := os.WriteFile(input, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	base, srv := fakeURL(t, fake.Options{OnClosed: fake.ApplyToClosed, ClosedLeads: []string{"2-leads", "3-leads"}})
	env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key}
	checkErr, _, _ := runCLI(t, env, "import", input, "--url", base, "--dry-run", "--check", "--report", filepath.Join(dir, "check.csv"))
	if n := posts(srv); n != 0 {
		t.Fatalf("--check sent %d updates", n)
	}
	realErr, _, _ := runCLI(t, env, "import", input, "--url", base, "--report", filepath.Join(dir, "real.csv"))
	if ExitCode(checkErr) != ExitCode(realErr) {
		t.Errorf("exit codes: check %d, real run %d", ExitCode(checkErr), ExitCode(realErr))
	}
	check, checkErrs := reportResults(t, filepath.Join(dir, "check.csv"))
	real, realErrs := reportResults(t, filepath.Join(dir, "real.csv"))
	want := []string{"succeeded", "skipped", "skipped", "succeeded", "invalid", "invalid"}
	for i := range want {
		predicted := check[i]
		if predicted == "dry-run" {
			predicted = "succeeded"
		}
		if predicted != real[i] || real[i] != want[i] {
			t.Errorf("row %d: check %s (%s), real run %s (%s), want %s", i+2, check[i], checkErrs[i], real[i], realErrs[i], want[i])
		}
	}
}
