package contract

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// request builds a request as the fake receives it, JSON body and all.
func request(method, target, body string) (*http.Request, []byte) {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return r, []byte(body)
}

// TestExceptions lists, by name, every place where the check follows the
// observed behaviour over the published document, each with a request or an
// answer that the document and the exception judge differently: an
// exception that changes nothing has no business here, and a new one needs
// a row.
func TestExceptions(t *testing.T) {
	tests := []struct {
		name         string
		method, path string
		body         string // the request body, or with answer set the 200 answer
		answer       bool   // body is the answer, not the request
		wantAccepted bool   // with the exception
	}{
		// A list of outcomes is held to being a list.
		{"outcomes-list", "GET", "/rest/outcomes", `{"outcomes":"Won"}`, true, false},
		// A lead's links are held to IDs.
		{"lead-links", "POST", "/rest/leads/1-leads/status", `{"id":"1-leads","links":{"productMaps":"1-productMaps"}}`, true, false},
		// Side-loaded product maps are held to the LeadProductMap schema.
		{"lead-side-loads", "GET", "/rest/leads", `{"leads":[],"productMaps":[{"quantity":"two"}]}`, true, false},
		// A lead read answers a list of leads.
		{"comma-joined-lead-ids", "GET", "/rest/leads/1-leads,2-leads", `{"leads":{"id":"1-leads"}}`, true, false},
		// A fractional quantity is refused in a status body.
		{"status-quantity-integer", "POST", "/rest/leads/1-leads/status", `{"productMaps":[{"productType":"product","quantity":1.5,"links":{"product":"1-products"}}]}`, false, false},
		// A filter the tool does not use is refused.
		{"leads-filter-number", "GET", "/rest/leads?filter[numbr]=1001", "", false, false},
		// The catalogue lists take the paging GET /leads declares.
		{"catalogue-paging", "GET", "/rest/products?page[limit]=100&page[page]=0", "", false, true},
		// One lead's competitor maps.
		{"competitormaps-filter-lead", "GET", "/rest/competitormaps?filter[lead]=3-leads", "", false, true},
	}
	var names []string
	for _, e := range Exceptions() {
		names = append(names, e.Name)
		if e.Why == "" {
			t.Errorf("exception %s does not say why", e.Name)
		}
	}
	var want []string
	for _, tt := range tests {
		want = append(want, tt.name)
	}
	if !slices.Equal(names, want) {
		t.Fatalf("exceptions = %v, want %v", names, want)
	}
	all, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			without, err := load([]string{tt.name})
			if err != nil {
				t.Fatal(err)
			}
			judge := func(c *Checker) error {
				if tt.answer {
					r, _ := request(tt.method, tt.path, "")
					return c.CheckResponse(r, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, []byte(tt.body))
				}
				return c.Check(request(tt.method, tt.path, tt.body))
			}
			with, published := judge(all), judge(without)
			if (with == nil) != tt.wantAccepted {
				t.Errorf("with the exception: %v, want accepted %v", with, tt.wantAccepted)
			}
			if (published == nil) == tt.wantAccepted {
				t.Errorf("as published: %v, want accepted %v", published, !tt.wantAccepted)
			}
		})
	}
}

// TestDocumentOperations pins the trimmed document to the operations the
// tool uses.
func TestDocumentOperations(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"DELETE /productMaps/{id}", "GET /competitormaps", "GET /competitormaps/{id}", "GET /competitors", "GET /leads",
		"GET /leads/{id}", "GET /outcomes", "GET /productmaps/{id}", "GET /products", "POST /leads/{id}/reopen",
		"POST /leads/{id}/status",
	}
	var got []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			got = append(got, method+" "+path)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("operations = %v, want %v", got, want)
	}
}

func TestCheck(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	const product = `{"productType":"product","quantity":2,"price":{"amount":"100.00","currency":"USD"},"links":{"product":"1-products"}}`
	tests := []struct {
		name         string
		method, path string
		body         string
		want         string // part of the reason; "" = accepted
	}{
		// What the tool sends to close a lead with products and a competitor.
		{"full status body", "POST", "/rest/leads/1006-leads/status", `{"outcomeId":"1-outcomes","competitorMaps":["5-competitorMaps"],"productMaps":[` + product + `]}`, ""},
		// An outcome given as a number.
		{"outcome not a string", "POST", "/rest/leads/1-leads/status", `{"outcomeId":1}`, "value must be a string"},
		// A price amount as a number.
		{"amount a number", "POST", "/rest/leads/1-leads/status", `{"productMaps":[{"productType":"product","price":{"amount":100},"links":{"product":"1-products"}}]}`, "/productMaps/0/price/amount"},
		// A reopen has no body.
		{"reopen", "POST", "/rest/leads/1-leads/reopen", "", ""},
		// A body where the document declares none.
		{"reopen with a body", "POST", "/rest/leads/1-leads/reopen", `{}`, "body"},
		// Several leads by comma-joined IDs, each escaped on its own.
		{"batch read", "GET", "/rest/leads/1-leads,2-leads,a%2Cb", "", ""},
		// A lead number look-up, paged.
		{"lead by number", "GET", "/rest/leads?filter[number]=1001&page[limit]=100", "", ""},
		// A misspelt filter.
		{"misspelt filter", "GET", "/rest/leads?filter[leadNumber]=1001", "", `"filter[leadNumber]"`},
		// A page that is not a number.
		{"bad page", "GET", "/rest/leads?page[page]=first", "", "page[page]"},
		// A query parameter nobody declared: kin-openapi lets it through, the check does not.
		{"undeclared query", "GET", "/rest/leads?number=1001", "", `"number"`},
		// Paging where no exception allows it.
		{"paged outcomes", "GET", "/rest/outcomes?page[page]=0", "", `"page[page]"`},
		// An operation the tool does not use.
		{"one outcome", "GET", "/rest/outcomes/1-outcomes", "", "no GET"},
		// A method the document does not have there.
		{"delete a lead", "DELETE", "/rest/leads/1-leads", "", "no DELETE"},
		// Outside the API.
		{"outside /rest", "GET", "/leads/1-leads", "", "not under /rest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Check(request(tt.method, tt.path, tt.body))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want one mentioning %s", err, tt.want)
			case err != nil && strings.Contains(err.Error(), "\n"):
				t.Errorf("reason is not one line: %q", err)
			}
		})
	}
}

// tbRecorder is a testing.TB that keeps what Hook reports.
type tbRecorder struct {
	testing.TB
	errs     []string
	cleanups []func()
}

func (r *tbRecorder) Helper()          {}
func (r *tbRecorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *tbRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestHookFailsTheTest(t *testing.T) {
	rec := &tbRecorder{TB: t}
	check := Hook(rec)
	if err := check(request("POST", "/rest/leads/1-leads/status", `{"outcomeId":"1-outcomes"}`)); err != nil {
		t.Fatalf("a good request was refused: %v", err)
	}
	if err := check(request("POST", "/rest/leads/1-leads/status", `{"outcomeId":2}`)); err == nil {
		t.Fatal("a bad request was accepted")
	}
	if len(rec.errs) != 0 {
		t.Fatalf("reported before the test ended: %v", rec.errs)
	}
	for _, f := range rec.cleanups {
		f()
	}
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "POST /rest/leads/1-leads/status") || !strings.Contains(rec.errs[0], "/outcomeId") {
		t.Errorf("reported %q, want one error naming the request and the field", rec.errs)
	}
}
