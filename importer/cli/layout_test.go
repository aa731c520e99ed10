package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/xuri/excelize/v2"
)

// layoutWorkbook is a sheet laid out as people make them: a title merged
// across the top, a date, a blank row, the header on row 4, a lead ID merged
// down over its two product rows, and a price in a currency format.
func layoutWorkbook(t *testing.T, dir string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	cells := map[string]any{
		"A1": "Q4 2026 close-out — West region", "A2": "Generated 2026-12-01",
		"A4": "Lead ID", "B4": "Outcome", "C4": "Product", "D4": "Quantity", "E4": "Price",
		"A5": 101, "B5": "Won", "C5": "Pro Plan", "D5": 1, "E5": 1200.5,
		"C6": "Onboarding", "D6": 2, "E6": 250,
		"A7": 102, "B7": "Lost",
	}
	for c, v := range cells {
		if err := f.SetCellValue("Sheet1", c, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range [][2]string{{"A1", "E1"}, {"A5", "A6"}, {"B5", "B6"}} {
		if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 44}) // accounting, with "$"
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "E5", "E6", money); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "layout.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSheetLayouts runs the layouts of exported and hand-made sheets end to
// end against the fake, once for each way it treats a closed lead.
func TestSheetLayouts(t *testing.T) {
	for _, policy := range []fake.ClosedPolicy{fake.RejectClosed, fake.ApplyToClosed} {
		t.Run("titled and merged", func(t *testing.T) {
			base, srv := fakeURL(t, fake.Options{OnClosed: policy})
			dir := t.TempDir()
			in := layoutWorkbook(t, dir)
			env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}
			report := filepath.Join(dir, "r.csv")
			err, _, stderr := runCLI(t, env, "import", in, "--report", report)
			if err != nil {
				t.Fatalf("import: %v\n%s", err, stderr)
			}
			if !strings.Contains(stderr, "header on row 4; rows 1–3 skipped: 'Q4 2026 close-out — West region', 'Generated 2026-12-01'") {
				t.Errorf("no warning naming the skipped rows:\n%s", stderr)
			}
			var sent []string
			for _, r := range srv.Requests() {
				if r.Method == "POST" {
					sent = append(sent, r.Lead+" "+string(r.Body))
				}
			}
			slices.Sort(sent) // sent by concurrent workers, in any order
			want := []string{
				`101-leads {"outcomeId":"1-outcomes","productMaps":[{"productType":"product","quantity":1,"price":{"amount":"1200.50"},"links":{"product":"1-products"}},{"productType":"product","quantity":2,"price":{"amount":"250.00"},"links":{"product":"4-products"}}]}`,
				`102-leads {"outcomeId":"2-outcomes"}`,
			}
			if strings.Join(sent, "\n") != strings.Join(want, "\n") {
				t.Errorf("sent\n%s\nwant\n%s", strings.Join(sent, "\n"), strings.Join(want, "\n"))
			}
			// An XLSX report keeps the price's format.
			xreport := filepath.Join(dir, "r.xlsx")
			if err, _, stderr := runCLI(t, env, "import", in, "--dry-run", "--report", xreport); err != nil {
				t.Fatalf("dry run: %v\n%s", err, stderr)
			}
			book, err := excelize.OpenFile(xreport)
			if err != nil {
				t.Fatal(err)
			}
			defer book.Close()
			shown, _ := book.GetCellValue("Report", "E2")
			if !strings.Contains(shown, "$") || !strings.Contains(shown, "1,200.50") {
				t.Errorf("report price shown as %q, want the input's $ format", shown)
			}
			data, _ := os.ReadFile(report)
			for _, row := range []string{"101,Won,Pro Plan,1,1200.5,5,succeeded", "101,Won,Onboarding,2,250,6,succeeded", "102,Lost,,,,7,succeeded"} {
				if !strings.Contains(string(data), row) {
					t.Errorf("report lacks %q (the sheet's row numbers):\n%s", row, data)
				}
			}
		})
	}
}

// TestLayoutRefusals: what stops a run before anything is sent, exit 2.
func TestLayoutRefusals(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	status := write("status.csv", "\ufeffLead ID,Deal,Status,Product,Qty,Price\r\n101,Acme,Won,Pro Plan,1,10\r\n102,Beta,Lost,Onboarding,1,20\r\n103,Gamma,Won,Pro Plan,2,10\r\n")
	titled := write("titled.csv", "Weekly pipeline\r\nID,Outcome\r\n101,Won\r\n")
	ignore := write("ignore.yaml", "ignore: [Status]\n")
	for _, policy := range []fake.ClosedPolicy{fake.RejectClosed, fake.ApplyToClosed} {
		base, srv := fakeURL(t, fake.Options{OnClosed: policy})
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}
		for _, tc := range []struct {
			name string
			args []string
			want string
		}{
			{"status column", []string{status}, `column "Status" holds outcome names (Won ×2, Lost ×1) but is not read as the outcome; map it (columns: outcome: "Status") or keep it as a carried column (ignore: ["Status"])`},
			{"status column, dry run", []string{status, "--dry-run"}, `column "Status" holds outcome names (Won ×2, Lost ×1)`},
			{"no header", []string{titled}, `none of the first 3 rows names a lead column (row 1: "Weekly pipeline"; row 2: "ID", "Outcome"; row 3: "101", "Won"); name the column of lead IDs "lead_id"`},
			{"header row past the end", []string{titled, "--header-row", "9"}, "--header-row 9 is past the last row (3)"},
			{"sheet on text", []string{titled, "--sheet", "Deals"}, "--sheet chooses a sheet of an XLSX workbook, but this is delimited text with no sheets; remove --sheet or give the workbook"},
		} {
			args := append([]string{"import", "--report", filepath.Join(dir, "r.csv"), "--force"}, tc.args...)
			err, _, stderr := runCLI(t, env, args...)
			if ExitCode(err) != ExitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("%s: exit %d, stderr:\n%s\nwant exit 2 and %q", tc.name, ExitCode(err), stderr, tc.want)
			}
		}
		if n := posts(srv); n != 0 {
			t.Errorf("%d updates sent, want none", n)
		}
		// Kept as a carried column, the Status column stops nothing.
		err, _, stderr := runCLI(t, env, "import", status, "--mapping", ignore, "--report", filepath.Join(dir, "r.csv"), "--force")
		if err != nil {
			t.Errorf("with ignore: [Status]: %v\n%s", err, stderr)
		}
	}
}
