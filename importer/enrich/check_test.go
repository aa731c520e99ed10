package enrich

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

// mapReader answers map reads from fixed tables; a nil table refuses them
// with refusal.
type mapReader struct {
	comps    map[string]string // competitor map → its lead ("" = names none)
	products map[string]nutshell.LeadProductMap
	refusal  int
	reads    int
}

func (r *mapReader) Read(ctx context.Context, read func(context.Context) error) error {
	return read(ctx)
}
func (r *mapReader) Leads(context.Context, []string) ([]nutshell.Lead, error) { return nil, nil }
func (r *mapReader) Limits() *nutshell.Limits                                 { return nil }

func (r *mapReader) CompetitorMaps(_ context.Context, ids []string) ([]nutshell.CompetitorMap, []string, error) {
	r.reads++
	if r.comps == nil {
		return nil, nil, &nutshell.Error{StatusCode: r.refusal, Message: "refused"}
	}
	var found []nutshell.CompetitorMap
	var missing []string
	for _, id := range ids {
		if lead, ok := r.comps[id]; ok {
			found = append(found, nutshell.CompetitorMap{ID: id, Links: nutshell.CompetitorMapLinks{Lead: lead}})
		} else {
			missing = append(missing, id)
		}
	}
	return found, missing, nil
}

func (r *mapReader) ProductMaps(_ context.Context, ids []string) ([]nutshell.LeadProductMap, []string, error) {
	r.reads++
	if r.products == nil {
		return nil, nil, &nutshell.Error{StatusCode: r.refusal, Message: "refused"}
	}
	var found []nutshell.LeadProductMap
	for _, id := range ids {
		if pm, ok := r.products[id]; ok {
			found = append(found, pm)
		}
	}
	return found, nil, nil
}

// Only a declared read's answer makes a row invalid; what cannot be
// checked is a note and the update goes as written.
func TestMapsCheck(t *testing.T) {
	comps := map[string]string{"13-competitorMaps": "7-leads", "1-competitorMaps": "1-leads", "20-competitorMaps": ""}
	tests := []struct {
		name   string
		reader *mapReader
		maps   []string
		result report.Result // "" = send
		note   string
	}{
		// The map is this lead's: sent, nothing to say.
		{"own map", &mapReader{comps: comps}, []string{"13-competitorMaps"}, "", ""},
		// The declared read shows another lead's map: invalid.
		{"another lead's", &mapReader{comps: comps}, []string{"1-competitorMaps"}, report.Invalid, "belongs to lead 1-leads"},
		// The declared read answers 404 for the map alone: invalid.
		{"missing", &mapReader{comps: comps}, []string{"99-competitorMaps"}, report.Invalid, "does not exist"},
		// The answer names no lead: sent, and said.
		{"no lead named", &mapReader{comps: comps}, []string{"20-competitorMaps"}, "", "competitor map 20-competitorMaps not checked: this server does not say which lead it belongs to"},
		// The server refuses the read: sent, and said.
		{"refused 405", &mapReader{refusal: http.StatusMethodNotAllowed}, []string{"13-competitorMaps"}, "", "competitor map 13-competitorMaps not checked: this server does not show competitor maps"},
		{"refused 501", &mapReader{refusal: http.StatusNotImplemented}, []string{"13-competitorMaps"}, "", "not checked: this server does not show competitor maps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &mapping.Update{Lead: "7-leads", Body: mapping.Body{OutcomeID: "1-outcomes", CompetitorMaps: tt.maps}}
			lead := Lead{Found: true, Status: "open"} // its competitor maps not shown
			m := NewMaps(tt.reader)
			m.Read(context.Background(), map[string]*Lead{"7-leads": &lead}, []*mapping.Update{u, u})
			d, notes, _ := m.Check(u, lead)
			note := strings.Join(notes, "; ")
			if d.Result != tt.result || !strings.Contains(d.Note+note, tt.note) || (tt.note == "" && note != "") {
				t.Errorf("result %q %q, notes %q; want %q %q", d.Result, d.Note, note, tt.result, tt.note)
			}
			// Each map is read once per run, however many rows name it.
			m.Read(context.Background(), map[string]*Lead{"7-leads": &lead}, []*mapping.Update{u})
			if tt.reader.reads != 1 {
				t.Errorf("%d reads, want 1", tt.reader.reads)
			}
		})
	}
}

// Product maps a lead names by ID are read; when they cannot be, the
// products are sent as asked, with a note.
func TestMapsReadProducts(t *testing.T) {
	pm := mapping.ProductMap{ProductType: "product", Quantity: 2, Price: &mapping.Price{Amount: "99.50", Currency: "USD"}, Links: mapping.ProductLinks{Product: "3-products"}}
	u := &mapping.Update{Lead: "7-leads", Body: mapping.Body{OutcomeID: "1-outcomes", ProductMaps: []mapping.ProductMap{pm}}}
	shown := map[string]nutshell.LeadProductMap{"4-productMaps": {ID: "4-productMaps", Product: "3-products", Quantity: 2, Amount: "99.5", Currency: "USD"}}
	for _, tt := range []struct {
		name   string
		reader *mapReader
		want   string // the note
		sent   int    // product maps left in the update
	}{
		{"read by ID", &mapReader{products: shown}, "3-products ×2 at 99.50 USD already on the lead; not sent again", 0},
		{"refused", &mapReader{refusal: http.StatusNotFound}, "products not checked against lead 7-leads: this server does not show its product maps; sent as asked", 1},
		// The lead names a map no read shows (a server without the route
		// answers 404 for each): its products are not known.
		{"not found", &mapReader{products: map[string]nutshell.LeadProductMap{}}, "products not checked against lead 7-leads: this server does not show its product maps; sent as asked", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lead := Lead{Found: true, Status: "open", productMapIDs: []string{"4-productMaps"}}
			m := NewMaps(tt.reader)
			m.Read(context.Background(), map[string]*Lead{"7-leads": &lead}, []*mapping.Update{u})
			_, notes, l := m.Check(u, lead)
			trimmed, note := Trim(u, l)
			if note != "" {
				notes = append(notes, note)
			}
			if got := strings.Join(notes, "; "); got != tt.want || len(trimmed.Body.ProductMaps) != tt.sent || trimmed.Body.OutcomeID != "1-outcomes" {
				t.Errorf("note %q, %d product maps sent; want %q, %d, and the outcome", got, len(trimmed.Body.ProductMaps), tt.want, tt.sent)
			}
		})
	}
}

// Trim leaves out, one for one, the product maps an open lead already
// shows; a closed lead, or one whose products are not known, is left alone.
func TestTrim(t *testing.T) {
	p := func(id string, q int, amount string) mapping.ProductMap {
		pm := mapping.ProductMap{ProductType: "product", Quantity: q, Links: mapping.ProductLinks{Product: id}}
		if amount != "" {
			pm.Price = &mapping.Price{Amount: amount, Currency: "USD"}
		}
		return pm
	}
	have := []Product{{ID: "3-products", Quantity: 2, Amount: "99.50", Currency: "USD"}}
	tests := []struct {
		name string
		lead Lead
		send []mapping.ProductMap
		left int
		note string
	}{
		{"same", Lead{Found: true, Status: "open", Products: have, ProductsKnown: true}, []mapping.ProductMap{p("3-products", 2, "99.5")}, 0, "3-products ×2 at 99.5 USD already on the lead; not sent again"},
		// Twice in the file, once on the lead: the second still goes.
		{"one for one", Lead{Found: true, Status: "open", Products: have, ProductsKnown: true}, []mapping.ProductMap{p("3-products", 2, "99.50"), p("3-products", 2, "99.50")}, 1, "3-products ×2 at 99.50 USD already on the lead; not sent again"},
		{"another quantity", Lead{Found: true, Status: "open", Products: have, ProductsKnown: true}, []mapping.ProductMap{p("3-products", 3, "99.50")}, 1, ""},
		{"another price", Lead{Found: true, Status: "open", Products: have, ProductsKnown: true}, []mapping.ProductMap{p("3-products", 2, "100")}, 1, ""},
		{"not known", Lead{Found: true, Status: "open"}, []mapping.ProductMap{p("3-products", 2, "99.50")}, 1, ""},
		{"closed", Lead{Found: true, Status: "won", Products: have, ProductsKnown: true}, []mapping.ProductMap{p("3-products", 2, "99.50")}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &mapping.Update{Lead: "7-leads", Body: mapping.Body{OutcomeID: "1-outcomes", ProductMaps: tt.send}}
			got, note := Trim(u, tt.lead)
			if len(got.Body.ProductMaps) != tt.left || note != tt.note || got.Body.OutcomeID != "1-outcomes" {
				t.Errorf("%d left, note %q; want %d, %q", len(got.Body.ProductMaps), note, tt.left, tt.note)
			}
			if len(u.Body.ProductMaps) != len(tt.send) {
				t.Error("Trim changed the update it was given")
			}
		})
	}
}
