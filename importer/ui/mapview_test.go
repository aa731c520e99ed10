package ui

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

// postMapping posts the page's choices and returns the file as read with them.
func (ts *testServer) postMapping(c mapChoices) (fileView, int, string) {
	ts.t.Helper()
	w := ts.postJSON("/api/mapping", c)
	var v fileView
	if w.Code == http.StatusOK {
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			ts.t.Fatal(err)
		}
	}
	return v, w.Code, w.Body.String()
}

func fileViewOf(t *testing.T, body []byte) fileView {
	t.Helper()
	var v fileView
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s", body)
	}
	return v
}

func problemKinds(v fileView) []string {
	var kinds []string
	for _, p := range v.Problems {
		kinds = append(kinds, p.Kind)
	}
	return kinds
}

// A file as a CRM exports it: a title, a blank row, misspelt headers, no
// column the tool knows as the lead, and a Status column of outcomes.
const messyCSV = "Q4 deals\r\n\r\nDeal,Prodcut,Quantitiy,Status\r\n1,Pro Plan,2,Won\r\n2,Pro Plan,1,Lost\r\n3,Starter Plan,1,Won\r\n"

// TestMapEveryProblemAtOnce: the header row is asked for when none near
// the top names a lead column; once chosen, every problem of the header is
// listed together (near misses, no lead column, a column of outcomes not
// read) and the check is refused saying why; the choices on the page then
// clear them, with the same rules as the command line.
func TestMapEveryProblemAtOnce(t *testing.T) {
	client, _ := fakeClient(t, fake.Options{})
	ts := newTestServer(t, Config{Client: client})
	ts.signIn()
	w := ts.upload("deals.csv", []byte(messyCSV))
	v := fileViewOf(t, w.Body.Bytes())
	if v.HeaderRow != 0 || !reflect.DeepEqual(problemKinds(v), []string{"no_header"}) || v.CanCheck || len(v.Preview) != 5 || v.Preview[0].Cells[0] != "Q4 deals" || v.Preview[1].Number != 3 {
		t.Fatalf("before a header row is chosen: %+v", v)
	}
	if w := ts.do(http.MethodPost, "/api/check", nil, ""); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "row that holds the column names") {
		t.Errorf("check without a header: %d %s", w.Code, w.Body)
	}

	v, code, body := ts.postMapping(mapChoices{HeaderRow: 3})
	if code != http.StatusOK {
		t.Fatalf("header row 3: %d %s", code, body)
	}
	if want := []string{"near_miss", "no_lead", "outcome_column"}; !reflect.DeepEqual(problemKinds(v), want) {
		t.Fatalf("problems %v, want %v: %+v", problemKinds(v), want, v.Problems)
	}
	if p := v.Problems[0]; !reflect.DeepEqual(p.Columns, []string{"Prodcut", "Quantitiy"}) || !reflect.DeepEqual(p.Near, []string{"product", "quantity"}) {
		t.Errorf("near misses %+v", p)
	}
	if p := v.Problems[2]; !reflect.DeepEqual(p.Columns, []string{"Status"}) {
		t.Errorf("outcome column %+v", p)
	}
	if v.HeaderRow != 3 || !v.HeaderChosen || v.Rows != 3 || v.CanCheck || v.Why == "" {
		t.Errorf("header row 3: %+v", v)
	}
	if c := v.Columns[3]; c.Header != "Status" || !reflect.DeepEqual(c.Samples, []string{"Won", "Lost"}) {
		t.Errorf("Status column %+v", c)
	}

	// Two columns chosen as one field is refused, naming both.
	if _, code, body := ts.postMapping(mapChoices{HeaderRow: 3, Columns: map[string]string{"Deal": "lead", "Status": "lead"}}); code != http.StatusBadRequest || !strings.Contains(body, `\"Deal\" and \"Status\" are both chosen as lead`) {
		t.Errorf("one field for two columns: %d %s", code, body)
	}

	v, code, body = ts.postMapping(mapChoices{HeaderRow: 3, Columns: map[string]string{"Deal": "lead", "Prodcut": "product", "Quantitiy": keepChoice, "Status": "outcome"}})
	if code != http.StatusOK || len(v.Problems) != 0 || !v.CanCheck || v.Why != "" {
		t.Fatalf("mapped: %d %+v", code, v)
	}
	if v.Outcome == nil || v.Outcome.Column != "Status" || !v.Outcome.FromAccount ||
		!reflect.DeepEqual(v.Outcome.Values, []outcomeValue{{Value: "Won", Count: 2}, {Value: "Lost", Count: 1}}) ||
		!slices.Contains(v.Outcome.Names, "Won - Expansion") {
		t.Errorf("outcome values %+v", v.Outcome)
	}
	check := ts.wait(startJob(t, ts.postJSON("/api/check", checkRequest{})))
	if check.Summary == nil || check.Summary.Results[report.DryRun] != 3 {
		t.Errorf("check with the page's mapping: %+v %s", check.Summary, check.Error)
	}
}

// TestMapNothingToSend: a file whose columns send nothing (a lead and a
// column of stage names) cannot be checked, and the page says why.
func TestMapNothingToSend(t *testing.T) {
	ts := newTestServer(t, Config{Mock: true})
	ts.signIn()
	w := ts.upload("stages.csv", []byte("lead_id,Status\n1,Closed won\n2,Appointment scheduled\n"))
	v := fileViewOf(t, w.Body.Bytes())
	if len(v.Problems) != 0 || v.CanCheck || !strings.Contains(v.Why, "No column says what to send") {
		t.Fatalf("stages: %+v", v)
	}
	if w := ts.do(http.MethodPost, "/api/check", nil, ""); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "No column says what to send") {
		t.Errorf("check: %d %s", w.Code, w.Body)
	}
	// Not signed in to an account: the usual outcomes are offered.
	v, _, _ = ts.postMapping(mapChoices{Columns: map[string]string{"Status": "outcome"}})
	if v.Outcome == nil || v.Outcome.FromAccount || !reflect.DeepEqual(v.Outcome.Names, []string{"Won", "Lost", "Cancelled"}) || v.Outcome.Note == "" {
		t.Errorf("outcomes without an account: %+v", v.Outcome)
	}
}

// TestMappingFileIsWhatMappingReads: the page's choices download as a
// mapping file that ParseConfig (what --mapping reads) reads back to the
// same choices; the check runs with it and records it as --mapping; chosen
// with the file again, it is where the page starts.
func TestMappingFileIsWhatMappingReads(t *testing.T) {
	client, _ := fakeClient(t, fake.Options{})
	ts := newTestServer(t, Config{Client: client})
	ts.signIn()
	data := []byte("Export of 7 Dec\nLead ID,Deal Name,Status\n1,a,Closed won\n2,b,Closed lost\n3,c,Appointment scheduled\n4,d,closed  WON\n")
	ts.upload("hubspot.csv", data)
	choices := mapChoices{Columns: map[string]string{"Status": "outcome", "Deal Name": keepChoice},
		Values: map[string]string{"Closed won": "Won", "Closed lost": "Lost", "Appointment scheduled": mapping.SkipValue}}
	v, code, body := ts.postMapping(choices)
	if code != http.StatusOK || !v.CanCheck || v.Mapping != "hubspot.mapping.yaml" {
		t.Fatalf("choices: %d %s", code, body)
	}
	// "closed  WON" is the same value as "Closed won": counted with it.
	if v.Outcome.Values[0] != (outcomeValue{Value: "Closed won", Count: 2, To: "Won"}) {
		t.Errorf("outcome values %+v", v.Outcome.Values)
	}
	w := ts.do(http.MethodGet, "/api/mapping", nil, "")
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Disposition"), "hubspot.mapping.yaml") {
		t.Fatalf("download: %d %v", w.Code, w.Header())
	}
	file := w.Body.Bytes()
	cfg, err := mapping.ParseConfig(file)
	if err != nil {
		t.Fatalf("ParseConfig: %v\n%s", err, file)
	}
	want := mapping.File{
		Columns:  map[string]string{"outcome": "Status"},
		Values:   map[string]map[string]string{"outcome": {"Closed won": "Won", "Closed lost": "Lost", "Appointment scheduled": "skip"}},
		Ignore:   []string{"Deal Name"},
		Defaults: map[string]string{},
	}
	if got := cfg.File(); !reflect.DeepEqual(got, want) {
		t.Errorf("the downloaded file reads as %+v, want %+v\n%s", got, want, file)
	}
	check := ts.wait(startJob(t, ts.postJSON("/api/check", checkRequest{})))
	if r := check.Summary.Results; r[report.DryRun] != 3 || r[report.Skipped] != 1 {
		t.Errorf("check: %+v %s", check.Summary, check.Error)
	}
	meta, err := report.ReadMeta(check.Report)
	if err != nil || !slices.Contains(meta.Args, "--mapping") || !slices.Contains(meta.Args, "hubspot.mapping.yaml") {
		t.Errorf("the check's command line %q (%v)", meta.Args, err)
	}

	// Chosen again with the file, the mapping file is where the page starts.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "hubspot.csv")
	fw.Write(data)
	mf, _ := mw.CreateFormFile("mapping", "hubspot.mapping.yaml")
	mf.Write(file)
	mw.Close()
	w = ts.do(http.MethodPost, "/api/file", &buf, mw.FormDataContentType())
	again := fileViewOf(t, w.Body.Bytes())
	if again.Columns[2].Choice != "outcome" || again.Columns[1].Choice != keepChoice || again.Columns[0].Choice != "" || !again.CanCheck {
		t.Errorf("from the mapping file: %+v", again.Columns)
	}
	if got := again.Outcome.Values; len(got) != 3 || got[0].To != "Won" || got[2].To != mapping.SkipValue {
		t.Errorf("from the mapping file: %+v", got)
	}
	if w := ts.do(http.MethodGet, "/api/mapping", nil, ""); !bytes.Equal(w.Body.Bytes(), file) {
		t.Errorf("download after choosing it: %s, want %s", w.Body, file)
	}
}
