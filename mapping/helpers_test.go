package mapping

import (
	"strings"
	"testing"
)

// testAccount is the account most tests resolve against.
func testAccount() numbered {
	c := NewCatalog(
		[]Outcome{
			{ID: "1-outcomes", Name: "Won", Status: "won"},
			{ID: "2-outcomes", Name: "Lost", Status: "lost"},
			{ID: "3-outcomes", Name: "Cancelled", Status: "cancelled"},
			{ID: "4-outcomes", Name: "No Decision", Status: "lost"},
		},
		[]Product{
			{ID: "1-products", Name: "Widget"},
			{ID: "2-products", Name: "Gadget Pro"},
			{ID: "3-products", Name: "Gizmo"},
			{ID: "8-products", Name: "Twin"},
			{ID: "9-products", Name: "twin"},
		},
		[]CompetitorMap{
			{ID: "5-competitorMaps", Lead: "1006-leads", Name: "Acme", Competitor: "1-competitors"},
			{ID: "6-competitorMaps", Lead: "1006-leads", Name: "Globex", Competitor: "2-competitors"},
			{ID: "7-competitorMaps", Lead: "1007-leads", Name: "Acme", Competitor: "1-competitors"},
			{ID: "8-competitorMaps", Lead: "1007-leads", Name: "Initech", Competitor: "3"},
		},
	)
	return withNumbers(c, map[string]string{"501": "1006-leads", "502": "1007-leads"})
}

// numbered is a Resolver over a Catalog and the lead numbers Nutshell would
// answer, as the importer resolves them (a Catalog holds no lead numbers).
type numbered struct {
	*Catalog
	numbers map[string]string // name key of a lead number → lead ID; nil: unchecked
}

// withNumbers returns c resolving the lead numbers of numberToID (nil: lead
// numbers are unchecked).
func withNumbers(c *Catalog, numberToID map[string]string) numbered {
	r := numbered{Catalog: c}
	if numberToID != nil {
		r.numbers = make(map[string]string, len(numberToID))
		for n, id := range numberToID {
			r.numbers[nameKey(n)] = id
		}
	}
	return r
}

func (r numbered) LeadByNumber(number string) (string, error) {
	if r.numbers == nil {
		return "", uncheckedError("lead number", number)
	}
	if id, ok := r.numbers[nameKey(number)]; ok {
		return id, nil
	}
	return "", &NameError{Kind: "lead number", Name: number}
}

// splitRows splits "a|b|c" lines into cells ("|" so cells may hold commas);
// a test's header is its first line.
func splitRows(lines ...string) [][]string {
	out := make([][]string, len(lines))
	for i, l := range lines {
		out[i] = strings.Split(l, "|")
	}
	return out
}

// group maps lines (header first) and returns every group, in order. Row
// numbers start at 2, as in a spreadsheet with its header on row 1.
func group(t *testing.T, cfg *Config, res Resolver, lines ...string) []*Group {
	t.Helper()
	rows := splitRows(lines...)
	spec, err := NewSpec(rows[0], cfg)
	if err != nil {
		t.Fatalf("NewSpec(%q): %v", rows[0], err)
	}
	g := NewGrouper(spec, res)
	var out []*Group
	for i, cells := range rows[1:] {
		if grp := g.Add(i+2, cells); grp != nil {
			out = append(out, grp)
		}
	}
	if grp := g.Flush(); grp != nil {
		out = append(out, grp)
	}
	// Every test that maps rows also checks that each error has a kind.
	for _, grp := range out {
		for _, r := range grp.Rows {
			if r.Err != nil && r.Err.Kind == "" {
				t.Errorf("row %d: error %q has no kind", r.Number, r.Err)
			}
		}
	}
	return out
}

// rowErrors returns each row's error text ("" for a valid row), by row number.
func rowErrors(groups []*Group) map[int]string {
	out := map[int]string{}
	for _, grp := range groups {
		for _, r := range grp.Rows {
			if r.Err != nil {
				out[r.Number] = r.Err.Error()
			} else {
				out[r.Number] = ""
			}
		}
	}
	return out
}

// mustConfig parses a mapping file that the test expects to be valid.
func mustConfig(t *testing.T, yaml string) *Config {
	t.Helper()
	cfg, err := ParseConfig([]byte(yaml))
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	return cfg
}
