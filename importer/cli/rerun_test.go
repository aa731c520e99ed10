package cli

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
		forEachKind(t, func(t *testing.T, kind fake.Kind) {
			t.Run(tt.name, func(t *testing.T) {
				runTwice(t, kind, tt.sample, slices.Clone(tt.extra), tt.firstExit, tt.secondExit)
			})
		})
	}
}

// runTwice runs a sample twice against a fake of the given kind: the second
// run sends nothing, and every row the first run did is skipped as done.
func runTwice(t *testing.T, kind fake.Kind, sample string, extra []string, firstExit, secondExit int) {
	dir := t.TempDir()
	input := copySample(t, dir, sample)
	for i, a := range extra {
		if filepath.Ext(a) == ".yaml" {
			extra[i] = copySample(t, dir, a)
		}
	}
	base, srv := fakeURL(t, withKind(fake.Options{OnClosed: fake.ApplyToClosed}, kind))
	env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key}
	run := func(report string) int {
		args := append([]string{"import", input, "--url", base, "--report", filepath.Join(dir, report)}, extra...)
		err, _, stderr := runCLI(t, env, args...)
		if code := ExitCode(err); code == ExitUsage {
			t.Fatalf("%s: exit 2: %s", report, stderr)
		}
		return ExitCode(err)
	}
	if code := run("first.csv"); code != firstExit {
		t.Fatalf("first run: exit %d, want %d", code, firstExit)
	}
	sent := posts(srv)
	if sent == 0 {
		t.Fatal("the first run sent nothing")
	}
	if code := run("second.csv"); code != secondExit {
		t.Errorf("second run: exit %d, want %d", code, secondExit)
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
}

// --dry-run --check gives each row the result a real run gives (dry-run in
// place of succeeded), and the same exit code.
func TestCheckPredictsTheRealRun(t *testing.T) {
	forEachKind(t, checkPredictsTheRealRun)
}

func checkPredictsTheRealRun(t *testing.T, kind fake.Kind) {
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
	base, srv := fakeURL(t, withKind(fake.Options{OnClosed: fake.ApplyToClosed, ClosedLeads: []string{"2-leads", "3-leads"}}, kind))
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

// Every kind of server gives the samples the same result, row for row: what
// a server cannot show is a note, never a row made invalid.
func TestSamplesAlikeOnEveryKindOfServer(t *testing.T) {
	samples := []struct {
		sample string
		extra  []string
	}{
		{"quarter-end.csv", nil},
		{"migration.xlsx", nil},
		{"custom-headers.csv", []string{"--mapping", "custom-headers.mapping.yaml"}},
		{"has-errors.csv", nil},
	}
	for _, sm := range samples {
		t.Run(sm.sample, func(t *testing.T) {
			var want []string
			for _, kind := range fake.Kinds() {
				for _, mode := range [][]string{{"--dry-run", "--check"}, nil} {
					dir := t.TempDir()
					args := []string{"import", copySample(t, dir, sm.sample), "--report", filepath.Join(dir, "report.csv")}
					for _, a := range sm.extra {
						if filepath.Ext(a) == ".yaml" {
							a = copySample(t, dir, a)
						}
						args = append(args, a)
					}
					base, _ := fakeURL(t, withKind(fake.Options{}, kind))
					env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key}
					_, _, stderr := runCLI(t, env, append(append(args, "--url", base), mode...)...)
					got, errs := reportResults(t, filepath.Join(dir, "report.csv"))
					for i := range got {
						if got[i] == "dry-run" {
							got[i] = "succeeded"
						}
					}
					if want == nil {
						want = got
						continue
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s %v: results %v (errors %q), want %v as on the helpful server\n%s", kind.Name, mode, got, errs, want, stderr)
					}
				}
			}
		})
	}
}

// A competitor named rather than given by map ID needs the lead's
// competitor maps: found the declared way when the shortcut is refused, and
// said plainly when the server cannot show them.
func TestCompetitorNamesOnEveryKindOfServer(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		dir := t.TempDir()
		input := filepath.Join(dir, "in.csv")
		// Lead 1's maps: 1-competitorMaps (Globex) and 2-competitorMaps (Initech).
		data := "lead,outcome,competitor maps\n" +
			"1,Won,Initech\n" +
			"2,Won,4-competitorMaps\n" + // lead 2's own map, by ID
			"3,Won,1-competitorMaps\n" + // lead 1's map: positive evidence
			"4,Won,99999-competitorMaps\n" // no such map
		if err := os.WriteFile(input, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		var o fake.Options
		kind.Apply(&o)
		base, _ := fakeURL(t, withKind(fake.Options{Leads: 10}, kind))
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key}
		runCLI(t, env, "import", input, "--url", base, "--report", filepath.Join(dir, "r.csv"))
		got, errs := reportResults(t, filepath.Join(dir, "r.csv"))
		want := []string{"succeeded", "succeeded", "invalid", "invalid"}
		if o.NoCompetitorLinks && (o.RefuseUndeclaredQuery || o.MapsNameNoLead) {
			want[0] = "invalid"
			if !strings.Contains(errs[0], "write the competitor map's ID instead") {
				t.Errorf("row 2: %q; want it to say to write the map's ID", errs[0])
			}
		}
		if o.MapsNameNoLead {
			// No read says whose map 1-competitorMaps is: it is sent as
			// written, and the server's refusal is the row's failure.
			want[2] = "failed"
		}
		if !slices.Equal(got, want) {
			t.Errorf("results %v (errors %q), want %v", got, errs, want)
		}
		if !strings.Contains(errs[2], "belongs to lead 1-leads") || !strings.Contains(errs[3], "does not exist") {
			t.Errorf("errors %q; want rows 4 and 5 to say the map is lead 1's and does not exist", errs)
		}
	})
}

// reportColumn reads one column of a CSV report.
func reportColumn(t *testing.T, path, name string) []string {
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
	col := slices.Index(recs[0], name)
	if col < 0 {
		t.Fatalf("%s has no column %s", path, name)
	}
	var out []string
	for _, r := range recs[1:] {
		out = append(out, r[col])
	}
	return out
}

// Products sent first and the outcome later leave each product on the lead
// once: the second update leaves out what the lead already shows, says so,
// and still closes the lead.
func TestProductsFirstOutcomeLater(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		dir := t.TempDir()
		first := filepath.Join(dir, "products.csv")
		second := filepath.Join(dir, "outcomes.csv")
		write := func(path, data string) {
			if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		write(first, "lead,product,quantity,price,currency\r\n5,3-products,2,99.50,USD\r\n6,1-products,1,10,USD\r\n")
		write(second, "lead,outcome,product,quantity,price,currency\r\n"+
			"5,Won,3-products,2,99.50,USD\r\n"+ // on the lead already: only the outcome goes
			"6,Won,1-products,2,10,USD\r\n") // another quantity: sent
		base, srv := fakeURL(t, withKind(fake.Options{Leads: 10}, kind))
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key}
		for _, in := range []string{first, second} {
			if err, _, stderr := runCLI(t, env, "import", in, "--url", base, "--report", in+".report.csv"); err != nil {
				t.Fatalf("%s: %v\n%s", filepath.Base(in), err, stderr)
			}
		}
		notes := reportColumn(t, second+".report.csv", "import_note")
		if notes[0] != "3-products ×2 at 99.50 USD already on the lead; not sent again" || notes[1] != "" {
			t.Errorf("notes = %q", notes)
		}
		for lead, want := range map[string]int{"5-leads": 1, "6-leads": 2} {
			l, _ := srv.Lead(lead)
			if len(l.ProductMaps) != want || l.Status != "won" {
				t.Errorf("%s: %s with %d product maps %+v, want won with %d", lead, l.Status, len(l.ProductMaps), l.ProductMaps, want)
			}
		}
	})
}

// A lead number is found by the filter where the server applies it, by
// Nutshell's search where it refuses or ignores it: the same lead either
// way, and a number no lead has is invalid.
func TestLeadNumbersOnEveryKindOfServer(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		dir := t.TempDir()
		input := filepath.Join(dir, "in.csv")
		data := fmt.Sprintf("lead_number,outcome\r\n%d,Won\r\n%d,Lost\r\n999,Won\r\n", fake.LeadNumber(7), fake.LeadNumber(300))
		if err := os.WriteFile(input, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		base, srv := fakeURL(t, withKind(fake.Options{Leads: 500}, kind))
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key}
		runCLI(t, env, "import", input, "--url", base, "--report", filepath.Join(dir, "r.csv"))
		got, errs := reportResults(t, filepath.Join(dir, "r.csv"))
		if !slices.Equal(got, []string{"succeeded", "succeeded", "invalid"}) || !strings.Contains(errs[2], "999") {
			t.Errorf("results %v (errors %q)", got, errs)
		}
		for lead, status := range map[string]string{"7-leads": "won", "300-leads": "lost"} {
			if l, _ := srv.Lead(lead); l.Status != status {
				t.Errorf("%s is %s, want %s", lead, l.Status, status)
			}
		}
	})
}
