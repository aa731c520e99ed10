package fake

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/nutshell"
)

func TestCatalogue(t *testing.T) {
	f := newFixture(t, Options{Leads: 10})
	outcomes := decode[struct{ Outcomes []nutshell.Outcome }](t, f.do(http.MethodGet, "/rest/outcomes", ""))
	if !reflect.DeepEqual(outcomes.Outcomes, Outcomes()) {
		t.Errorf("GET /outcomes = %+v, want %+v", outcomes.Outcomes, Outcomes())
	}
	// GET /outcomes/{id} is served, though the tool does not use it and the
	// checked document leaves it out.
	lax := newLaxFixture(t, Options{Leads: 10})
	one := decode[struct{ Outcomes []nutshell.Outcome }](t, lax.do(http.MethodGet, "/rest/outcomes/4-outcomes", ""))
	if len(one.Outcomes) != 1 || one.Outcomes[0].Name != "No Decision" || one.Outcomes[0].Status != "lost" {
		t.Errorf("GET /outcomes/4-outcomes = %+v", one.Outcomes)
	}
	products := decode[struct{ Products []nutshell.Product }](t, f.do(http.MethodGet, "/rest/products", ""))
	if !reflect.DeepEqual(products.Products, Products()) {
		t.Errorf("GET /products = %+v, want %+v", products.Products, Products())
	}
}

func TestCompetitorSearch(t *testing.T) {
	f := newFixture(t, Options{Leads: 10})
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		// No query: every competitor.
		{"all", "", []string{"Acme Corp", "Globex", "Initech", "Umbrella"}},
		// A part of the name, in another case.
		{"substring", "?q=GLO", []string{"Globex"}},
		// Nothing matches.
		{"none", "?q=zzz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decode[struct{ Competitors []nutshell.Competitor }](t, f.do(http.MethodGet, "/rest/competitors"+tt.query, ""))
			var names []string
			for _, c := range got.Competitors {
				names = append(names, c.Name)
			}
			if !reflect.DeepEqual(names, tt.want) {
				t.Errorf("competitors = %v, want %v", names, tt.want)
			}
		})
	}
}

// mapsBody is the body of /competitormaps.
type mapsBody struct {
	Meta           listMeta
	CompetitorMaps []nutshell.CompetitorMap
	Leads          []leadJSON
	Competitors    []nutshell.Competitor
}

func TestCompetitorMaps(t *testing.T) {
	f := newFixture(t, Options{Leads: 10})
	// GET /competitormaps/{id} is served, though the tool does not use it and
	// the checked document leaves it out.
	lax := newLaxFixture(t, Options{Leads: 10})
	tests := []struct {
		name        string
		path        string
		wantMaps    []string // "id→competitor"
		wantCompIDs []string
	}{
		// Lead 3 has maps 5 and 6, with competitors 1+(3%4)=4 and 1+(4%4)=1.
		{"filter by lead", "/rest/competitormaps?filter[lead]=3-leads", []string{"5-competitorMaps→4-competitors", "6-competitorMaps→1-competitors"}, []string{"1-competitors", "4-competitors"}},
		// A bare lead ID works too.
		{"bare lead", "/rest/competitormaps?filter[lead]=1", []string{"1-competitorMaps→2-competitors", "2-competitorMaps→3-competitors"}, []string{"2-competitors", "3-competitors"}},
		// A lead that does not exist has none.
		{"unknown lead", "/rest/competitormaps?filter[lead]=11-leads", nil, nil},
		// All maps, paged: the second page of three.
		{"paged", "/rest/competitormaps?page[page]=1&page[limit]=3", []string{"4-competitorMaps→4-competitors", "5-competitorMaps→4-competitors", "6-competitorMaps→1-competitors"}, []string{"1-competitors", "4-competitors"}},
		// One map by ID.
		{"one", "/rest/competitormaps/20-competitorMaps", []string{"20-competitorMaps→4-competitors"}, []string{"4-competitors"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := f
			if !strings.HasPrefix(tt.path, "/rest/competitormaps?") {
				g = lax
			}
			got := decode[mapsBody](t, g.do(http.MethodGet, tt.path, ""))
			var maps, comps []string
			for _, m := range got.CompetitorMaps {
				maps = append(maps, m.ID+"→"+m.Links.Competitor)
				if m.Status != "potential" || m.Name == "" || m.Links.Lead == "" {
					t.Errorf("map %+v", m)
				}
			}
			for _, c := range got.Competitors {
				comps = append(comps, c.ID)
			}
			if !reflect.DeepEqual(maps, tt.wantMaps) || !reflect.DeepEqual(comps, tt.wantCompIDs) {
				t.Errorf("maps %v with competitors %v, want %v with %v", maps, comps, tt.wantMaps, tt.wantCompIDs)
			}
			if got.Leads == nil {
				t.Errorf("leads is null, want []")
			}
		})
	}
}

func TestCataloguePaging(t *testing.T) {
	f := newFixture(t, Options{})
	tests := []struct {
		name  string
		query string
		want  []string
		total int64
	}{
		// The default page holds the whole catalogue.
		{"default", "", []string{"1-products", "2-products", "3-products", "4-products", "5-products"}, 5},
		// A second page of two.
		{"page 1 of 2", "?page[page]=1&page[limit]=2", []string{"3-products", "4-products"}, 5},
		// Past the end: empty, so a client that pages stops.
		{"past the end", "?page[page]=1", nil, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decode[struct {
				Meta     listMeta
				Products []nutshell.Product
			}](t, f.do(http.MethodGet, "/rest/products"+tt.query, ""))
			var ids []string
			for _, p := range got.Products {
				ids = append(ids, p.ID)
			}
			if !reflect.DeepEqual(ids, tt.want) || got.Meta.Total != tt.total {
				t.Errorf("products %v (total %d), want %v (total %d)", ids, got.Meta.Total, tt.want, tt.total)
			}
		})
	}
}
