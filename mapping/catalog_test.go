package mapping

import (
	"errors"
	"strings"
	"testing"
)

// TestCatalogNames checks name matching and the errors for names it cannot settle.
func TestCatalogNames(t *testing.T) {
	c := NewCatalog(
		[]Outcome{{ID: "1-outcomes", Name: "Won", Status: "won"}, {ID: "2-outcomes", Name: "Lost", Status: "lost"}},
		[]Product{
			{ID: "1-products", Name: "Widget"}, {ID: "2-products", Name: "Widget  Deluxe"}, {ID: "3-products", Name: "Sprocket"},
			{ID: "4-products", Name: "Gear"}, {ID: "5-products", Name: "Gear"}, {ID: "6-products", Name: "Bolt"},
		},
		nil,
	)
	tests := []struct {
		kind, ref string
		want      string // the resolved ID
		err       string // part of the error
		cands     []string
		ambiguous bool
	}{
		// Case and spaces do not matter.
		{kind: "product", ref: "  widget   deluxe ", want: "2-products"},
		// IDs are checked and written canonically.
		{kind: "product", ref: "3-PRODUCTS", want: "3-products"},
		// An ID the catalogue lacks.
		{kind: "product", ref: "42-products", err: `unknown product "42-products"`},
		// Two products with one name.
		{kind: "product", ref: "gear", ambiguous: true, cands: []string{"4-products", "5-products"}},
		// A typo suggests the closest names: prefix matches first.
		{kind: "product", ref: "Widgt", cands: []string{"Widget", "Widget  Deluxe"}},
		// A fragment suggests names that contain it.
		{kind: "product", ref: "rocket", cands: []string{"Sprocket"}},
		// Nothing alike: no suggestions, and a hint.
		{kind: "product", ref: "Zeppelin", err: "check it in Nutshell"},
		// Outcome names.
		{kind: "outcome", ref: "LOST", want: "2-outcomes"},
		// An unknown outcome lists all outcomes, not the closest.
		{kind: "outcome", ref: "Lozt", cands: []string{"Won", "Lost"}, err: `did you mean "Lost"? Known outcomes: Won, Lost`},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.ref, func(t *testing.T) {
			var got string
			var err error
			if tt.kind == "product" {
				got, err = c.Product(tt.ref)
			} else {
				var o Outcome
				o, err = c.Outcome(tt.ref)
				got = o.ID
			}
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			var ne *NameError
			if !errors.As(err, &ne) {
				t.Fatalf("error %v, want *NameError", err)
			}
			if ne.Ambiguous != tt.ambiguous || tt.cands != nil && strings.Join(ne.Candidates, "|") != strings.Join(tt.cands, "|") {
				t.Errorf("ambiguous %v candidates %q, want %v %q", ne.Ambiguous, ne.Candidates, tt.ambiguous, tt.cands)
			}
			if !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error %q, want %q", err, tt.err)
			}
		})
	}
}

// TestCatalogSuggestionsAreBounded checks that a long catalogue suggests at most five names.
func TestCatalogSuggestionsAreBounded(t *testing.T) {
	var products []Product
	for _, n := range []string{"Pack 1", "Pack 2", "Pack 3", "Pack 4", "Pack 5", "Pack 6", "Pack 7"} {
		products = append(products, Product{ID: "1-products", Name: n})
	}
	_, err := NewCatalog(nil, products, nil).Product("pack")
	var ne *NameError
	if !errors.As(err, &ne) || len(ne.Candidates) != 5 {
		t.Fatalf("error %v, want a NameError with 5 candidates", err)
	}
}

// TestCatalogCompetitorMaps checks that names resolve to the row's own lead's map.
func TestCatalogCompetitorMaps(t *testing.T) {
	c := testAccount()
	tests := []struct {
		lead, ref string
		want      string
		err       string
	}{
		// A competitor's name, in any case, gives this lead's map.
		{lead: "1006-leads", ref: "ACME", want: "5-competitorMaps"},
		// The same competitor has another map on another lead.
		{lead: "1007-leads", ref: "acme", want: "7-competitorMaps"},
		// An ID of the lead's own map.
		{lead: "1006-leads", ref: "6-competitormaps", want: "6-competitorMaps"},
		// A competitor only another lead has: say what this lead has.
		{lead: "1006-leads", ref: "Initech", err: `lead 1006-leads has no competitor map for "Initech"; its competitors are: Acme, Globex`},
		// Another lead's map ID.
		{lead: "1006-leads", ref: "8-competitorMaps", err: "lead 1006-leads has no competitor map 8-competitorMaps; its competitors are: Acme, Globex"},
		// A lead with no maps at all.
		{lead: "1999-leads", ref: "Acme", err: "lead 1999-leads has no competitor map for \"Acme\" (it has no competitors); add the competitor to the lead in Nutshell first"},
	}
	for _, tt := range tests {
		t.Run(tt.lead+" "+tt.ref, func(t *testing.T) {
			got, err := c.CompetitorMap(tt.lead, tt.ref)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			var ne *NameError
			if !errors.As(err, &ne) || err.Error() != tt.err {
				t.Fatalf("error %v, want NameError %q", err, tt.err)
			}
		})
	}
}

// TestCatalogNotFetched checks a catalogue whose lists were not fetched:
// IDs pass, names are unchecked (and lead numbers, which a Catalog does not
// hold, are unchecked by UncheckedResolver).
func TestCatalogNotFetched(t *testing.T) {
	for name, res := range map[string]Resolver{"nil lists": withNumbers(NewCatalog(nil, nil, nil), nil), "UncheckedResolver": UncheckedResolver()} {
		t.Run(name, func(t *testing.T) {
			if o, err := res.Outcome("2-outcomes"); err != nil || o.ID != "2-outcomes" {
				t.Errorf("Outcome(ID) = %+v, %v; want the ID as valid", o, err)
			}
			if id, err := res.Product("3-products"); err != nil || id != "3-products" {
				t.Errorf("Product(ID) = %q, %v", id, err)
			}
			if id, err := res.CompetitorMap("1006-leads", "5-competitorMaps"); err != nil || id != "5-competitorMaps" {
				t.Errorf("CompetitorMap(ID) = %q, %v", id, err)
			}
			_, e1 := res.Outcome("Won")
			_, e2 := res.Product("Widget")
			_, e3 := res.CompetitorMap("1006-leads", "Acme")
			_, e4 := res.LeadByNumber("501")
			for i, err := range []error{e1, e2, e3, e4} {
				if !errors.Is(err, ErrUnchecked) {
					t.Errorf("name %d: error %v, want ErrUnchecked", i, err)
				}
			}
		})
	}
}

// TestCatalogEmptyList checks that an empty (not nil) outcome list counts as
// fetched and empty: names are unknown, not unchecked.
func TestCatalogEmptyList(t *testing.T) {
	var ne *NameError
	if _, err := NewCatalog([]Outcome{}, nil, nil).Outcome("Won"); !errors.As(err, &ne) || !strings.Contains(err.Error(), "the account has no outcomes") {
		t.Errorf("empty outcome list: %v", err)
	}
}

// TestRowErrorUnwraps checks that a row refused for a name keeps the
// resolver's error for errors.As.
func TestRowErrorUnwraps(t *testing.T) {
	groups := group(t, nil, testAccount(), "lead|product", "1006|Gadgt")
	var ne *NameError
	if err := groups[0].Rows[0].Err; err == nil || !errors.As(err, &ne) || ne.Kind != "product" || ne.Name != "Gadgt" {
		t.Fatalf("row error %v does not unwrap to the product's NameError", err)
	}
}
