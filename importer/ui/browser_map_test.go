package ui_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/leadstatus/leadstatus/importer/cli"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/mapping"
)

// stageStatus is a HubSpot-style stage for lead i of the mapped workbook.
func stageStatus(i int) string {
	return [...]string{"Appointment scheduled", "Closed won", "Closed lost"}[i%3]
}

// mappedWorkbook writes an XLSX as a CRM export looks: a title row, a blank
// row, then the header with a "Status" column of stage names.
func mappedWorkbook(t *testing.T, n int) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	set := func(cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "Q4 deals, exported 7 December")
	for j, h := range []string{"Lead ID", "Deal Name", "Status", "Deal owner"} {
		cell, _ := excelize.CoordinatesToCellName(j+1, 3)
		set(cell, h)
	}
	for i := 1; i <= n; i++ {
		set(fmt.Sprintf("A%d", i+3), i)
		set(fmt.Sprintf("B%d", i+3), fmt.Sprintf("Deal %d", i))
		set(fmt.Sprintf("C%d", i+3), stageStatus(i))
		set(fmt.Sprintf("D%d", i+3), "Sam")
	}
	path := filepath.Join(t.TempDir(), "Q4 deals.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// setSelect chooses value in the select sel as a person does (a change event).
func setSelect(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event("change")); return true; })()`, sel, value))(ctx, tg)
		return err
	})
}

// download fetches a path of the page with the tab's session cookie.
func download(t *testing.T, ctx context.Context, page *uiProcess, path string) []byte {
	t.Helper()
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, page.url[:strings.Index(page.url, "/?")]+path, nil)
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download %s: %d %s", path, resp.StatusCode, body)
	}
	return body
}

// mapOnThePage: a workbook with a title row and a "Status" column of stage
// names is mapped on the page (Status is the outcome; "Closed won" is Won,
// "Closed lost" Lost, "Appointment scheduled" skipped), checked, sent and
// undone; the mapping file the page offers is the one --mapping reads, and
// choosing it with the file again starts from the same choices.
func mapOnThePage(t *testing.T, browser context.Context, tmp, shots string) {
	const user, key, n = "me@example.com", "map-key-0042", 12
	nut := fake.New(fake.Options{Username: user, APIKey: key})
	api := &http.Server{Handler: nut}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go api.Serve(ln)
	defer api.Close()
	env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": "http://" + ln.Addr().String() + "/rest"}
	input := mappedWorkbook(t, n)
	page := startUI(t, env)
	ctx := newTab(t, browser)
	eval := func(dst *string, js string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
			*dst, err = chromedp.Evaluate[string](js)(ctx, tg)
			return err
		})
	}
	var headerRow, highlighted, why, problems, outcomeRows, planCounts, doneCounts, undoText, undone, fromFile string
	run(t, ctx, shots, page, []step{
		{"choose the workbook", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(page.url),
			chromedp.WaitVisible(chromedp.ID("screen-file")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{input}),
			chromedp.Click(chromedp.ID("read-file")),
			chromedp.WaitVisible(chromedp.ID("screen-columns")),
			chromedp.WaitVisible(chromedp.ID("check-why")),
			eval(&headerRow, `document.getElementById("header-row").value`),
			eval(&highlighted, `document.querySelector("#preview tr.header-row").dataset.row`),
			textOf(&why, "#check-why"),
			screenshot(shots, "1-map-header-found"),
		}},
		{"Status is the outcome", []chromedp.Action[chromedp.Void]{
			setSelect(`#columns select[data-header="Status"]`, "outcome"),
			chromedp.WaitVisible(chromedp.ID("outcome-box")),
			textOf(&outcomeRows, "#outcome-values tbody"),
			eval(&problems, `document.getElementById("map-problems").hidden ? "" : document.getElementById("map-problems").innerText`),
			screenshot(shots, "2-map-outcome-values"),
		}},
		{"each stage means an outcome or skip", []chromedp.Action[chromedp.Void]{
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`(() => {
					const pick = (v, to) => { document.querySelector('#outcome-values select[data-value="' + v + '"]').value = to; };
					pick("Closed won", "Won"); pick("Closed lost", "Lost"); pick("Appointment scheduled", "skip");
					document.querySelector('#outcome-values select[data-value="Closed won"]').dispatchEvent(new Event("change"));
					return true; })()`)(ctx, tg)
				return err
			}),
			chromedp.WaitEnabled(chromedp.ID("check")),
			screenshot(shots, "3-map-ready"),
		}},
	})
	if headerRow != "3" || highlighted != "3" {
		t.Errorf("the header row found is %q, highlighted %q; want row 3", headerRow, highlighted)
	}
	if !strings.Contains(why, "No column says what to send") {
		t.Errorf("before Status is mapped, the page says %q", why)
	}
	for _, want := range []string{"Closed won\t4", "Closed lost\t4", "Appointment scheduled\t4"} {
		if !strings.Contains(outcomeRows, want) {
			t.Errorf("the outcome values show %q, want %q", outcomeRows, want)
		}
	}
	if problems != "" {
		t.Errorf("once Status is the outcome the page lists problems: %q", problems)
	}

	// The mapping file offered is what --mapping reads.
	data := download(t, ctx, page, "/api/mapping")
	saved := filepath.Join(t.TempDir(), "Q4 deals.mapping.yaml")
	if err := os.WriteFile(saved, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := mapping.ParseConfig(data)
	if err != nil {
		t.Fatalf("the downloaded mapping file: %v\n%s", err, data)
	}
	want := mapping.File{
		Columns:  map[string]string{"outcome": "Status"},
		Values:   map[string]map[string]string{"outcome": {"Closed won": "Won", "Closed lost": "Lost", "Appointment scheduled": "skip"}},
		Defaults: map[string]string{},
	}
	if got := cfg.File(); !reflect.DeepEqual(got, want) {
		t.Errorf("the downloaded mapping file reads as %+v, want %+v\n%s", got, want, data)
	}
	// The command line, given it with --mapping, plans what the page does.
	report := filepath.Join(t.TempDir(), "cli.csv")
	var out, errOut lockedBuffer
	if err := cli.Run(context.Background(), context.Background(), []string{"import", "--mock", "--dry-run", "--mapping", saved, "--report", report, input}, testIO(&out, &errOut)); err != nil {
		t.Fatalf("leadstatus import --mapping %s: %v\n%s", saved, err, errOut.String())
	}
	if got := resultCounts(t, report); got["dry-run"] != 8 || got["skipped"] != 4 {
		t.Errorf("leadstatus import --mapping: results %v, want 8 dry-run and 4 skipped", got)
	}

	run(t, ctx, shots, page, []step{
		{"check", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("check")),
			chromedp.WaitVisible(chromedp.ID("send-box")),
			textOf(&planCounts, "#plan-summary .summary-counts"),
			screenshot(shots, "4-map-plan"),
		}},
		{"send", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("send")),
			chromedp.WaitVisible(chromedp.ID("screen-done")),
			chromedp.WaitVisible(chromedp.CSS("#done-summary .summary-counts")),
			textOf(&doneCounts, "#done-summary .summary-counts"),
			screenshot(shots, "5-map-sent"),
		}},
	})
	for i := 1; i <= n; i++ {
		l, _ := nut.Lead(fmt.Sprint(i))
		if open := l.Status == "open"; open != (stageStatus(i) == "Appointment scheduled") {
			t.Errorf("after the send lead %d (%s) is %q", i, stageStatus(i), l.Status)
		}
	}
	run(t, ctx, shots, page, []step{
		{"undo", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("undo-plan")),
			chromedp.WaitVisible(chromedp.ID("undo-box")),
			textOf(&undoText, "#undo-text"),
			screenshot(shots, "6-map-undo-plan"),
			chromedp.Click(chromedp.ID("undo")),
			chromedp.WaitVisible(chromedp.ID("download-undo")),
			textOf(&undone, "#undo-result .summary-counts"),
			screenshot(shots, "7-map-undone"),
		}},
		{"start again from the saved mapping file", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("other-file-3")),
			chromedp.WaitVisible(chromedp.ID("screen-file")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{input}),
			chromedp.SetUploadFiles(chromedp.ID("mapping"), []string{saved}),
			chromedp.Click(chromedp.ID("read-file")),
			chromedp.WaitVisible(chromedp.ID("outcome-box")),
			chromedp.WaitEnabled(chromedp.ID("check")),
			eval(&fromFile, `[document.querySelector('#columns select[data-header="Status"]').value].concat([...document.querySelectorAll("#outcome-values select")].map(s => s.dataset.value + "=" + s.value)).join("|")`),
			screenshot(shots, "8-map-from-file"),
		}},
	})
	// A file whose header the command line would refuse for three reasons:
	// the page lists them together, in its own words, once the header row
	// is chosen.
	messy := filepath.Join(t.TempDir(), "deals.csv")
	if err := os.WriteFile(messy, []byte("\ufeffQ4 deals\r\n\r\nDeal,Prodcut,Quantitiy,Status\r\n1,Pro Plan,2,Won\r\n2,Pro Plan,1,Lost\r\n3,Starter Plan,1,Won\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var noHeader, listed string
	run(t, ctx, shots, page, []step{
		{"a file with no row of column names found", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID("other-file")),
			chromedp.WaitVisible(chromedp.ID("screen-file")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{messy}),
			clearInput("#mapping"), // no mapping file this time
			chromedp.Click(chromedp.ID("read-file")),
			chromedp.WaitVisible(chromedp.ID("map-problems")),
			textOf(&noHeader, "#map-problems"),
			screenshot(shots, "9-map-no-header"),
		}},
		{"row 3 holds the column names", []chromedp.Action[chromedp.Void]{
			setSelect("#header-row", "3"),
			chromedp.WaitVisible(chromedp.CSS(`#preview tr.header-row[data-row="3"]`)),
			textOf(&listed, "#screen-columns"),
			screenshot(shots, "10-map-problems"),
		}},
	})
	if !strings.Contains(noHeader, "choose below which row holds the column names") {
		t.Errorf("with no header found the page says %q", noHeader)
	}
	if strings.Contains(listed, "starting from the choices") {
		t.Errorf("the mapping file of the last file is still used: %q", listed)
	}
	for _, want := range []string{"\u201cProdcut\u201d looks like \u201cproduct\u201d", "\u201cQuantitiy\u201d looks like \u201cquantity\u201d", "No column holds the leads", "\u201cStatus\u201d holds outcomes"} {
		if !strings.Contains(listed, want) {
			t.Errorf("the problems listed %q, want %q", listed, want)
		}
	}

	checks := []struct{ what, got, want string }{
		{"plan", planCounts, "8 would be sent"},
		{"plan", planCounts, "4 left alone"},
		{"sent", doneCounts, "8 succeeded"},
		{"sent", doneCounts, "4 left alone"},
		{"undo plan", undoText, "8 leads"},
		{"undone", undone, "8 succeeded"},
		{"from the mapping file", fromFile, "outcome|"},
		{"from the mapping file", fromFile, "Closed won=Won"},
		{"from the mapping file", fromFile, "Appointment scheduled=skip"},
	}
	for _, c := range checks {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s shows %q, want %q", c.what, c.got, c.want)
		}
	}
	for i := 1; i <= n; i++ {
		if l, _ := nut.Lead(fmt.Sprint(i)); l.Status != "open" {
			t.Errorf("after the undo lead %d is %q", i, l.Status)
		}
	}
	page.stop(t, tmp)
}

// resultCounts counts a CSV report's rows by import_result.
func resultCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("read %s: %v", path, err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "import_result" {
			col = i
		}
	}
	counts := map[string]int{}
	for _, r := range rows[1:] {
		if col >= 0 && col < len(r) {
			counts[r[col]]++
		}
	}
	return counts
}
