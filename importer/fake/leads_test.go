package fake

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// ids lists the IDs of leads in a body.
func ids(leads []leadJSON) string {
	var out []string
	for _, l := range leads {
		out = append(out, l.ID)
	}
	return strings.Join(out, ",")
}

func TestGetLeads(t *testing.T) {
	f := newFixture(t, Options{Leads: 10, DeletedLeads: []string{"9-leads"}})
	tests := []struct {
		name string
		ids  string
		want string // "" = 404
	}{
		// One lead in full form.
		{"one", "3-leads", "3-leads"},
		// One lead by bare ID.
		{"bare", "3", "3-leads"},
		// Several, in the order asked, unknown ones left out.
		{"batch", "4-leads,2,99-leads,abc", "4-leads,2-leads"},
		// The same lead twice comes back once.
		{"duplicate", "4-leads,4", "4-leads"},
		// Deleted leads are still returned.
		{"deleted", "9-leads", "9-leads"},
		// An escaped comma is part of one ID, which does not exist.
		{"escaped comma", "1-leads%2C2-leads", ""},
		// Only unknown leads: 404.
		{"all unknown", "11-leads,0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(http.MethodGet, "/rest/leads/"+tt.ids, "")
			if tt.want == "" {
				wantHTML(t, r, http.StatusNotFound)
				return
			}
			if got := ids(decode[leadsBody](t, r).Leads); got != tt.want {
				t.Errorf("leads = %s, want %s", got, tt.want)
			}
		})
	}
	// More than 100 IDs at once is refused with a message.
	many := strings.Repeat("1-leads,", 100) + "2-leads"
	if r := f.do(http.MethodGet, "/rest/leads/"+many, ""); r.status != http.StatusBadRequest || !strings.Contains(message(t, r), "at most 100") {
		t.Errorf("101 IDs: status %d, body %s", r.status, r.body)
	}
}

func TestLeadFields(t *testing.T) {
	f := newFixture(t, Options{Leads: 10})
	// Only leads 1 to Options.Leads exist.
	wantHTML(t, f.do(http.MethodGet, "/rest/leads/1006-leads", ""), http.StatusNotFound)
	l := decode[leadsBody](t, f.do(http.MethodGet, "/rest/leads/6-leads", "")).Leads[0]
	num := LeadNumber(6)
	want := leadJSON{ID: "6-leads", Name: fmt.Sprintf("Lead %d", num), Number: num, Status: "open",
		HTMLURL: "https://app.nutshell.com/lead/6", HTMLURLPath: "/lead/6"}
	if l.ID != want.ID || l.Name != want.Name || l.Number != want.Number || l.Status != want.Status ||
		l.HTMLURL != want.HTMLURL || l.HTMLURLPath != want.HTMLURLPath {
		t.Errorf("lead = %+v, want %+v", l, want)
	}
}

func TestListLeads(t *testing.T) {
	f := newFixture(t, Options{Leads: 10, DeletedLeads: []string{"2-leads", "5-leads"}})
	num := func(id int) string { return fmt.Sprint(LeadNumber(id)) }
	tests := []struct {
		name      string
		query     string
		want      string
		wantTotal int64
	}{
		// The first page holds every live lead, deleted ones left out.
		{"all", "", "1-leads,3-leads,4-leads,6-leads,7-leads,8-leads,9-leads,10-leads", 8},
		// The second page of three.
		{"page 1", "page[page]=1&page[limit]=3", "6-leads,7-leads,8-leads", 8},
		// The last, partial page.
		{"last page", "page[page]=2&page[limit]=3", "9-leads,10-leads", 8},
		// Past the end: an empty page.
		{"past the end", "page[page]=9", "", 8},
		// A lead found by its number.
		{"filter number", "filter[number]=" + num(7), "7-leads", 1},
		// A number no lead has.
		{"filter unknown number", "filter[number]=100", "", 0},
		// A deleted lead is not found by number.
		{"filter deleted", "filter[number]=" + num(5), "", 0},
		// Search by number.
		{"q number", "q=" + num(8), "8-leads", 1},
		// Search by name.
		{"q name", "q=" + url.QueryEscape("Lead "+num(8)), "8-leads", 1},
		// Search by the written serial.
		{"q serial", "q=lead-" + num(8), "8-leads", 1},
		// Search text that is no number matches nothing.
		{"q text", "q=acme", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decode[leadsBody](t, f.do(http.MethodGet, "/rest/leads?"+tt.query, ""))
			if ids(got.Leads) != tt.want || got.Meta.Total != tt.wantTotal || got.Meta.Count != len(got.Leads) {
				t.Errorf("leads = %s (meta %+v), want %s of %d", ids(got.Leads), got.Meta, tt.want, tt.wantTotal)
			}
		})
	}
}

func TestListLeadsRefusesBadQueries(t *testing.T) {
	// Lax: a misspelt filter breaks the document too; the fake's own answer is under test.
	f := newLaxFixture(t, Options{Leads: 10})
	tests := []struct {
		name  string
		query string
		want  string
	}{
		// A lead number must be digits.
		{"number not digits", "filter[number]=Lead-1001", "filter[number] must be a lead number"},
		// A misspelt filter must not list every lead.
		{"unknown filter", "filter[leadNumber]=123456", `"filter[leadNumber]"`},
		// Pages count from 0.
		{"negative page", "page[page]=-1", "page[page]"},
		// A limit must be positive.
		{"zero limit", "page[limit]=0", "page[limit]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(http.MethodGet, "/rest/leads?"+tt.query, "")
			if r.status != http.StatusBadRequest || !strings.Contains(message(t, r), tt.want) {
				t.Errorf("status %d, body %s; want 400 mentioning %s", r.status, r.body, tt.want)
			}
		})
	}
	// A limit above 100 is lowered to 100.
	if got := decode[leadsBody](t, f.do(http.MethodGet, "/rest/leads?page[limit]=500", "")); got.Meta.Limit != 100 {
		t.Errorf("limit = %d, want 100", got.Meta.Limit)
	}
}

func TestTenMillionLeads(t *testing.T) {
	// State is made only for leads touched, so a huge account costs nothing.
	f := newFixture(t, Options{Leads: 10_000_000, DeletedLeads: []string{"10000000-leads"}})
	last := decode[leadsBody](t, f.do(http.MethodGet, "/rest/leads?page[page]=99999&page[limit]=100", ""))
	if n := len(last.Leads); n != 99 || last.Leads[n-1].ID != "9999999-leads" || last.Meta.Total != 9_999_999 {
		t.Errorf("last page: %d leads ending %s, total %d", n, last.Leads[n-1].ID, last.Meta.Total)
	}
	byNum := decode[leadsBody](t, f.do(http.MethodGet, fmt.Sprintf("/rest/leads?filter[number]=%d", LeadNumber(9_876_543)), ""))
	if ids(byNum.Leads) != "9876543-leads" {
		t.Errorf("filter[number] found %s, want 9876543-leads", ids(byNum.Leads))
	}
	if r := f.do(http.MethodPost, "/rest/leads/9999999-leads/status", `{"outcomeId":"1-outcomes"}`); r.status != http.StatusOK {
		t.Errorf("update of lead 9999999: status %d", r.status)
	}
}
