package mapping

import (
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/kind"
)

// TestGrouperMerging checks how rows of one lead become one update, or why
// none of them is sent.
func TestGrouperMerging(t *testing.T) {
	const header = "Lead ID|Outcome|Competitors|Product|Quantity"
	tests := []struct {
		name   string
		rows   []string
		bodies map[string]string // lead → body of its valid update
		errs   map[int]string    // row number → part of its error
	}{
		// Consecutive rows merge: one outcome, products in row order.
		{name: "merge", rows: []string{"1006|Won||1|2", "1006|||3|", "1006|Won||2|1"},
			bodies: map[string]string{"1006-leads": `{"outcomeId":"1-outcomes","productMaps":[{"productType":"product","quantity":2,"links":{"product":"1-products"}},{"productType":"product","links":{"product":"3-products"}},{"productType":"product","quantity":1,"links":{"product":"2-products"}}]}`}},
		// One outcome written two ways is one outcome.
		{name: "same outcome", rows: []string{"1006|Won|||", "1006|1-outcomes||3|"},
			bodies: map[string]string{"1006-leads": `{"outcomeId":"1-outcomes","productMaps":[{"productType":"product","links":{"product":"3-products"}}]}`}},
		// Competitor lists compare as sets.
		{name: "same competitors", rows: []string{"1006|Lost|Acme;Globex||", "1006||Globex;5||"},
			bodies: map[string]string{"1006-leads": `{"outcomeId":"2-outcomes","competitorMaps":["5-competitorMaps","6-competitorMaps"]}`}},
		// Conflicting outcomes invalidate every row of the lead, each naming the other row.
		{name: "outcome conflict", rows: []string{"1006|Won|||", "1006|||3|", "1006|Lost|||", "1007|Won|||"},
			bodies: map[string]string{"1007-leads": `{"outcomeId":"1-outcomes"}`},
			errs: map[int]string{
				2: `column "Outcome": outcome "Won" conflicts with "Lost" in row 4 for lead 1006-leads`,
				3: "not sent: rows 2 and 4 of lead 1006-leads give different outcomes",
				4: `outcome "Lost" conflicts with "Won" in row 2 for lead 1006-leads`,
			}},
		// Conflicting competitor lists.
		{name: "competitor conflict", rows: []string{"1006|Lost|Acme||", "1006||Globex||"},
			errs: map[int]string{
				2: `competitor maps "Acme" conflict with "Globex" in row 3 for lead 1006-leads`,
				3: `competitor maps "Globex" conflict with "Acme" in row 2 for lead 1006-leads`,
			}},
		// One invalid row stops its whole lead: no partial update.
		{name: "invalid propagates", rows: []string{"1006|Won||1|2", "1006|||3|2.5", "1006|||2|"},
			errs: map[int]string{
				2: "not sent: row 3 of the same lead is invalid",
				3: `column "Quantity": "2.5" is not a whole number`,
				4: "not sent: row 3 of the same lead is invalid",
			}},
		// A lead that comes back later is refused there, naming where it was.
		{name: "repeat", rows: []string{"1006|Won|||", "1007|Lost|||", "1006|Lost|||", "1006|||3|"},
			bodies: map[string]string{"1006-leads": `{"outcomeId":"1-outcomes"}`, "1007-leads": `{"outcomeId":"2-outcomes"}`},
			errs: map[int]string{
				4: `column "Lead ID": lead 1006-leads was already updated from row 2`,
				5: "lead 1006-leads was already updated from row 2",
			}},
		// The same lead in different forms is still a repeat.
		{name: "repeat other form", rows: []string{"1006|Won|||", "1007|Lost|||", "1006-Leads|Won|||"},
			bodies: map[string]string{"1006-leads": `{"outcomeId":"1-outcomes"}`, "1007-leads": `{"outcomeId":"2-outcomes"}`},
			errs:   map[int]string{4: "lead 1006-leads was already updated from row 2"}},
		// A repeat of a lead that was invalid says so.
		{name: "repeat of invalid", rows: []string{"1006|Wonn|||", "1007|Lost|||", "1006|Won|||"},
			bodies: map[string]string{"1007-leads": `{"outcomeId":"2-outcomes"}`},
			errs: map[int]string{
				2: `unknown outcome "Wonn"`,
				4: "lead 1006-leads already appeared in row 2, which is invalid",
			}},
		// Reopen in one row and maps in another cannot be sent together.
		{name: "reopen with maps", rows: []string{"1006|reopen|||", "1006|||3|", "1006||Acme||"},
			errs: map[int]string{
				2: `"reopen" cannot be combined with the competitor maps or product in row 3 for lead 1006-leads`,
				3: `column "Product": a product cannot be combined with "reopen" in row 2`,
				4: `column "Competitors": competitor maps cannot be combined with "reopen" in row 2`,
			}},
		// Reopen and a closing outcome conflict like any two outcomes.
		{name: "reopen with outcome", rows: []string{"1006|open|||", "1006|Won|||"},
			errs: map[int]string{2: `outcome "open" conflicts with "Won" in row 3`, 3: `outcome "Won" conflicts with "open" in row 2`}},
		// Reopen alone over two rows is one reopen.
		{name: "reopen twice", rows: []string{"1006|open|||", "1006|Reopen|||"},
			bodies: map[string]string{"1006-leads": ""}},
		// A row whose lead is unknown stands alone between groups of the same lead.
		{name: "bad lead between", rows: []string{"1006|Won|||", "x|Won|||", "1006|Won|||"},
			bodies: map[string]string{"1006-leads": `{"outcomeId":"1-outcomes"}`},
			errs: map[int]string{
				3: `"x" is not a lead ID`,
				4: "lead 1006-leads was already updated from row 2",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			groups := group(t, nil, testAccount(), append([]string{header}, tt.rows...)...)
			errs := rowErrors(groups)
			if len(errs) != len(tt.rows) {
				t.Fatalf("%d rows reported, want %d", len(errs), len(tt.rows))
			}
			for n, got := range errs {
				want := tt.errs[n]
				if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
					t.Errorf("row %d: error %q, want %q", n, got, want)
				}
			}
			bodies := map[string]string{}
			for _, g := range groups {
				if g.Update != nil {
					bodies[g.Update.Lead] = string(g.Update.JSON())
				}
			}
			if len(bodies) != len(tt.bodies) {
				t.Errorf("updates %v, want %v", bodies, tt.bodies)
			}
			for lead, want := range tt.bodies {
				if got, ok := bodies[lead]; !ok || got != want {
					t.Errorf("lead %s: body %q, want %q", lead, got, want)
				}
			}
		})
	}
}

// TestGrouperOrder checks that Add and Flush hand out every row once, in
// input order, including a row that ends a group and stands alone.
func TestGrouperOrder(t *testing.T) {
	spec, err := NewSpec([]string{"lead", "outcome"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := NewGrouper(spec, testAccount())
	steps := []struct {
		cells []string
		want  []int // row numbers of the group Add returns; nil for none
	}{
		// The first row opens a group.
		{cells: []string{"1006", "Won"}, want: nil},
		// The same lead joins it.
		{cells: []string{"1006", "Won"}, want: nil},
		// An undeterminable lead ends the open group and waits its turn.
		{cells: []string{"", "Won"}, want: []int{1, 2}},
		// The next row hands out the lone row.
		{cells: []string{"1007", "Lost"}, want: []int{3}},
		// Another lone row ends 1007's group.
		{cells: []string{"zz", "Lost"}, want: []int{4}},
		// A lone row right after a lone row: the waiting one comes out.
		{cells: []string{"yy", "Lost"}, want: []int{5}},
	}
	for i, st := range steps {
		got := g.Add(i+1, st.cells)
		if nums := rowNumbers(got); !equalInts(nums, st.want) {
			t.Fatalf("Add(row %d) returned rows %v, want %v", i+1, nums, st.want)
		}
	}
	if nums := rowNumbers(g.Flush()); !equalInts(nums, []int{6}) {
		t.Fatalf("Flush returned rows %v, want [6]", nums)
	}
	if got := g.Flush(); got != nil {
		t.Fatalf("second Flush returned %v, want nil", rowNumbers(got))
	}
}

func rowNumbers(g *Group) []int {
	if g == nil {
		return nil
	}
	var out []int
	for _, r := range g.Rows {
		out = append(out, r.Number)
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestGrouperCopiesCells checks that a caller reusing its cell slice after
// Add does not change rows already handed over.
func TestGrouperCopiesCells(t *testing.T) {
	spec, err := NewSpec([]string{"lead", "outcome", "note"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := NewGrouper(spec, testAccount())
	cells := []string{"1006", "Won", "first"}
	g.Add(2, cells)
	cells[0], cells[1], cells[2] = "1007", "Lost", "second"
	done := g.Add(3, cells)
	if done == nil || done.Update == nil || done.Rows[0].Cells[2] != "first" || done.Update.Body.OutcomeID != "1-outcomes" {
		t.Fatalf("first group changed after its cells were reused: %+v", done)
	}
}

// TestLeadNumber covers leads given by the number users see.
func TestLeadNumber(t *testing.T) {
	tests := []struct {
		header string
		row    string
		res    Resolver
		lead   string // "" when invalid
		err    string
		note   string
	}{
		// A lead number alone is resolved.
		{header: "Lead Number|Outcome", row: "501|Won", res: testAccount(), lead: "1006-leads"},
		// A numeric XLSX cell arrives with ".0".
		{header: "leadNumber|Outcome", row: "501.0|Won", res: testAccount(), lead: "1006-leads"},
		// An unknown number.
		{header: "lead_number|Outcome", row: "999|Won", res: testAccount(), err: `column "lead_number": unknown lead number "999"`},
		// Lead ID and number that agree.
		{header: "Lead ID|Lead Number|Outcome", row: "1006|501|Won", res: testAccount(), lead: "1006-leads"},
		// Lead ID and number that disagree.
		{header: "Lead ID|Lead Number|Outcome", row: "1006|502|Won", res: testAccount(), err: "lead number 502 is lead 1007-leads, but the lead column says 1006-leads"},
		// Only the number filled in, with both columns present.
		{header: "Lead ID|Lead Number|Outcome", row: "|502|Won", res: testAccount(), lead: "1007-leads"},
		// Both empty.
		{header: "Lead ID|Lead Number|Outcome", row: "||Won", res: testAccount(), err: "the lead ID is empty"},
		// No numbers fetched: the row stays valid and says so.
		{header: "Lead Number|Outcome", row: "501|Won", res: withNumbers(NewCatalog(nil, nil, nil), nil), lead: "<501>", note: `lead number "501"`},
		// A lead number is never turned into an ID by arithmetic, even unchecked beside an ID.
		{header: "Lead ID|Lead Number|Outcome", row: "1006|501|Won", res: UncheckedResolver(), lead: "1006-leads", note: `lead number "501"`},
	}
	for _, tt := range tests {
		t.Run(tt.header+"/"+tt.row, func(t *testing.T) {
			groups := group(t, nil, tt.res, tt.header, tt.row)
			g := groups[0]
			if tt.err != "" {
				if g.Rows[0].Err == nil || !strings.Contains(g.Rows[0].Err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", g.Rows[0].Err, tt.err)
				}
				return
			}
			if g.Update == nil {
				t.Fatalf("invalid: %v", g.Rows[0].Err)
			}
			if g.Update.Lead != tt.lead || !strings.Contains(g.Rows[0].Note, tt.note) {
				t.Fatalf("lead %q note %q, want %q and a note containing %q", g.Update.Lead, g.Rows[0].Note, tt.lead, tt.note)
			}
		})
	}
}

// TestUncheckedRun maps names without a catalogue, as a dry run without
// credentials does: rows stay valid and show what would be resolved.
func TestUncheckedRun(t *testing.T) {
	groups := group(t, nil, UncheckedResolver(),
		"Lead ID|Outcome|Competitors|Product|Price",
		"1006|Won|Acme;5|Widget|10",
		"1006|won||3-products|",
		"1007|2||3|",
		"1008|Wonn||3|",
		"1008| wonn||4|",
	)
	want := []struct {
		body string
		note string
	}{
		// Names show in angle brackets and are listed in the note; IDs pass.
		{`{"outcomeId":"<Won>","competitorMaps":["<Acme>","5-competitorMaps"],"productMaps":[{"productType":"product","price":{"amount":"10.00"},"links":{"product":"<Widget>"}},{"productType":"product","links":{"product":"3-products"}}]}`, `not checked against Nutshell in this run: outcome "Won", competitor "Acme", product "Widget"`},
		// IDs alone: nothing to note.
		{`{"outcomeId":"2-outcomes","productMaps":[{"productType":"product","links":{"product":"3-products"}}]}`, ""},
		// Two spellings of one unchecked name are one outcome, not a conflict.
		{`{"outcomeId":"<Wonn>","productMaps":[{"productType":"product","links":{"product":"3-products"}},{"productType":"product","links":{"product":"4-products"}}]}`, `outcome "Wonn"`},
	}
	if len(groups) != len(want) {
		t.Fatalf("%d groups, want %d: %v", len(groups), len(want), rowErrors(groups))
	}
	for i, w := range want {
		g := groups[i]
		if g.Update == nil {
			t.Fatalf("group %d invalid: %v", i, rowErrors(groups))
		}
		if got := string(g.Update.JSON()); got != w.body {
			t.Errorf("group %d body\n%s\nwant\n%s", i, got, w.body)
		}
		if !strings.Contains(g.Rows[0].Note, w.note) {
			t.Errorf("group %d note %q, want it to contain %q", i, g.Rows[0].Note, w.note)
		}
	}
}

// TestMappingFileRows checks values and defaults from a mapping file on rows.
func TestMappingFileRows(t *testing.T) {
	cfg := mustConfig(t, `
columns:
  lead: "Opportunity #"
  outcome: Stage
  product: SKU
  price: Amount
  competitor_maps: Rivals
values:
  outcome:
    "Closed Won": Won
    "Dead": Cancelled
    "Ignore me": ""
  competitor_maps:
    "The Acme Co": Acme
defaults:
  currency: USD
  outcome: Lost
list_separator: ","
`)
	groups := group(t, cfg, testAccount(),
		"Opportunity #|Stage|SKU|Amount|Rivals|Lead ID",
		"1006|closed   WON|3|$99.00|the acme co, Globex|ignored",
		"1007|Dead||||",
		"1008|||||",
		"1009|Ignore me||||",
		"1011|Won|||",
		"1010|Closed Won|3|€ 5||",
	)
	want := []struct {
		lead, body, err string
	}{
		// Values translate cells ignoring case and spaces; the default currency applies; "$" agrees with it.
		{lead: "1006-leads", body: `{"outcomeId":"1-outcomes","competitorMaps":["5-competitorMaps","6-competitorMaps"],"productMaps":[{"productType":"product","price":{"amount":"99.00","currency":"USD"},"links":{"product":"3-products"}}]}`},
		// Another translated outcome.
		{lead: "1007-leads", body: `{"outcomeId":"3-outcomes"}`},
		// An empty cell takes the default outcome.
		{lead: "1008-leads", body: `{"outcomeId":"2-outcomes"}`},
		// A value translated to "" also takes the default.
		{lead: "1009-leads", body: `{"outcomeId":"2-outcomes"}`},
		// A short row is still refused.
		{err: "row has 5 cells but the header has 6"},
		// A price in another currency than the default.
		{err: `column "Amount": "€ 5" is in EUR but the currency is USD`},
	}
	if len(groups) != len(want) {
		t.Fatalf("%d groups, want %d", len(groups), len(want))
	}
	for i, w := range want {
		g := groups[i]
		if w.err != "" {
			if g.Update != nil || !strings.Contains(g.Rows[0].Err.Error(), w.err) {
				t.Errorf("group %d: %v, want error %q", i, g.Rows[0].Err, w.err)
			}
			continue
		}
		if g.Update == nil {
			t.Errorf("group %d invalid: %v", i, g.Rows[0].Err)
			continue
		}
		if g.Update.Lead != w.lead || string(g.Update.JSON()) != w.body {
			t.Errorf("group %d: %s %s, want %s %s", i, g.Update.Lead, g.Update.JSON(), w.lead, w.body)
		}
	}
}

// TestUpdateFields checks what the importer reads besides the body.
func TestUpdateFields(t *testing.T) {
	groups := group(t, nil, testAccount(), "lead|outcome", "1006|Cancelled", "1007|reopen")
	if u := groups[0].Update; u == nil || u.Action != ActionStatus || u.OutcomeStatus != "cancelled" {
		t.Errorf("closing update %+v, want ActionStatus with status cancelled", u)
	}
	if u := groups[1].Update; u == nil || u.Action != ActionReopen || u.JSON() != nil {
		t.Errorf("reopen update %+v, want ActionReopen with no body", u)
	}
}

// TestErrorKinds checks the kind each rule gives its rows, by which the
// summary groups reasons.
func TestErrorKinds(t *testing.T) {
	const header = "Lead ID|Lead Number|Outcome|Competitors|Product|Quantity|Price|Currency"
	tests := []struct {
		rows []string
		row  int // the row whose kind is checked
		want kind.Kind
	}{
		// Fewer cells than the header.
		{[]string{"1006|Won"}, 2, kind.RaggedRow},
		// Text in the lead column.
		{[]string{"abc||Won|||||"}, 2, kind.BadLeadID},
		// No lead at all.
		{[]string{"||Won|||||"}, 2, kind.EmptyLead},
		// A lead number Excel shortened.
		{[]string{"|5.01E+02|Won|||||"}, 2, kind.BadLeadNumber},
		// A lead number Nutshell does not have.
		{[]string{"|999|Won|||||"}, 2, kind.UnknownLeadNumber},
		// The number is another lead than the ID.
		{[]string{"1007|501|Won|||||"}, 2, kind.LeadMismatch},
		// A misspelt outcome.
		{[]string{"1006||Wonn|||||"}, 2, kind.UnknownOutcome},
		// Another entity's ID as the outcome.
		{[]string{"1006||3-products|||||"}, 2, kind.BadOutcome},
		// A competitor the lead lacks.
		{[]string{"1006||Lost|Initech||||"}, 2, kind.UnknownCompetitor},
		// A malformed competitor map ID.
		{[]string{"1006||Lost|0||||"}, 2, kind.BadCompetitor},
		// A misspelt product.
		{[]string{"1006||||Gadgt|||"}, 2, kind.UnknownProduct},
		// A malformed product ID.
		{[]string{"1006||||7-leads|||"}, 2, kind.BadProduct},
		// Two products share the name.
		{[]string{"1006||||Twin|||"}, 2, kind.AmbiguousName},
		// A fractional quantity.
		{[]string{"1006||||3|2.5||"}, 2, kind.BadQuantity},
		// A decimal comma.
		{[]string{"1006||||3||1,5|"}, 2, kind.BadPrice},
		// Not a currency code.
		{[]string{"1006||||3|||dollars"}, 2, kind.BadCurrency},
		// A quantity without a product.
		{[]string{"1006||Won||||2|"}, 2, kind.NeedsProduct},
		// Reopen with a product in the same row.
		{[]string{"1006||reopen||3|||"}, 2, kind.ReopenWithMaps},
		// Reopen with a product in another row of the lead.
		{[]string{"1006||reopen|||||", "1006||||3|||"}, 3, kind.ReopenWithMaps},
		// Nothing to send.
		{[]string{"1006|||||||"}, 2, kind.NothingToSend},
		// A lead that comes back later.
		{[]string{"1006||Won|||||", "1007||Won|||||", "1006||Won|||||"}, 4, kind.LeadRepeated},
		// Two outcomes for one lead.
		{[]string{"1006||Won|||||", "1006||Lost|||||"}, 3, kind.ConflictingRows},
		// A valid row beside an invalid one of its lead.
		{[]string{"1006||Won|||||", "1006||Wonn|||||"}, 2, kind.SameLeadInvalid},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.rows, ","), func(t *testing.T) {
			errs := map[int]*RowError{}
			for _, grp := range group(t, nil, testAccount(), append([]string{header}, tt.rows...)...) {
				for _, r := range grp.Rows {
					errs[r.Number] = r.Err
				}
			}
			e := errs[tt.row]
			if e == nil || e.Kind != tt.want {
				t.Fatalf("row %d: error %v, want kind %s", tt.row, e, tt.want)
			}
		})
	}
}

// TestRepeatedProducts checks that two rows of a lead asking for the same
// product map refuse the lead, while rows that differ, or repeat only the
// outcome or competitors, merge.
func TestRepeatedProducts(t *testing.T) {
	const header = "Lead ID|Outcome|Competitors|Product|Quantity|Price|Currency"
	const refused = "row 3 repeats the product of row 2 for lead 1006-leads; delete one, or put quantity 2 on one row if both are meant"
	tests := []struct {
		name      string
		unchecked bool
		rows      []string
		err       string // every row's error; "" when the lead's rows merge
		products  int    // product maps sent when they merge
	}{
		// The same product twice, nothing else given.
		{name: "same product", rows: []string{"1006|Won||3|||", "1006|||3|||"}, err: refused},
		// Same product, quantity, price and currency.
		{name: "same map", rows: []string{"1006|Won||3|2|100|USD", "1006|||3|2|100.00|usd"},
			err: "row 3 repeats the product of row 2 for lead 1006-leads; delete one, or put quantity 4 on one row if both are meant"},
		// The same product by name and by ID.
		{name: "name and ID", rows: []string{"1006|Won||Widget|||", "1006|||1-products|||"}, err: `row 3 repeats the product of row 2`},
		// Not next to each other: still the same lead's rows.
		{name: "apart", rows: []string{"1006|Won||3|||", "1006|||1|||", "1006|||3|||"}, err: "row 4 repeats the product of row 2"},
		// Names not checked against Nutshell compare ignoring case.
		{name: "unchecked names", unchecked: true, rows: []string{"1006|2-outcomes||Widget|||", "1006|||WIDGET|||"}, err: refused},
		// A different quantity is another product map.
		{name: "other quantity", rows: []string{"1006|Won||3|2||", "1006|||3|1||"}, products: 2},
		// A different price is another product map.
		{name: "other price", rows: []string{"1006|Won||3||100|", "1006|||3||90|"}, products: 2},
		// A price on one row only.
		{name: "price on one", rows: []string{"1006|Won||3||100|", "1006|||3|||"}, products: 2},
		// A different currency.
		{name: "other currency", rows: []string{"1006|Won||3||100|USD", "1006|||3||100|EUR"}, products: 2},
		// Repeating only the outcome merges harmlessly.
		{name: "outcome repeated", rows: []string{"1006|Won||3|||", "1006|Won|||||"}, products: 1},
		// Repeating only the competitors merges harmlessly.
		{name: "competitors repeated", rows: []string{"1006|Lost|Acme|3|||", "1006|Lost|Acme||||"}, products: 1},
		// The same product on two leads is no repeat.
		{name: "two leads", rows: []string{"1006|Won||3|||", "1007|Won||3|||"}, products: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res Resolver = testAccount()
			if tt.unchecked {
				res = UncheckedResolver()
			}
			groups := group(t, nil, res, append([]string{header}, tt.rows...)...)
			first := groups[0]
			if tt.err == "" {
				if first.Update == nil {
					t.Fatalf("refused: %v", first.Rows[0].Err)
				}
				if got := len(first.Update.Body.ProductMaps); got != tt.products {
					t.Fatalf("%d product maps, want %d: %s", got, tt.products, first.Update.JSON())
				}
				return
			}
			if first.Update != nil {
				t.Fatalf("sent %s, want every row refused", first.Update.JSON())
			}
			for _, r := range first.Rows {
				if r.Err == nil || r.Err.Kind != kind.RepeatedProduct || !strings.Contains(r.Err.Error(), tt.err) {
					t.Errorf("row %d: error %v, want %q", r.Number, r.Err, tt.err)
				}
			}
		})
	}
}

// TestDecimalCommaRows checks prices and quantities under decimal_separator
// "," and the --decimal-comma switch, and that number cells of an XLSX,
// whose text has a dot, are read as numbers either way.
func TestDecimalCommaRows(t *testing.T) {
	const header = "Lead ID|Product|Quantity|Price"
	fromFile := mustConfig(t, "decimal_separator: \",\"\ndefaults:\n  price: \"9,5\"\n")
	fromFlag := &Config{}
	fromFlag.SetDecimalComma(true)
	tests := []struct {
		name    string
		cfg     *Config
		row     string
		numeric []bool // the row's number flags; nil for text input
		body    string
		err     string
	}{
		// Dot grouping and a decimal comma.
		{name: "file", cfg: fromFile, row: "1006|3|1.000|1.234,50", body: `{"productMaps":[{"productType":"product","quantity":1000,"price":{"amount":"1234.50"},"links":{"product":"3-products"}}]}`},
		// The switch does the same on a Config made for it.
		{name: "switch", cfg: fromFlag, row: "1006|3|2|1,5", body: `{"productMaps":[{"productType":"product","quantity":2,"price":{"amount":"1.50"},"links":{"product":"3-products"}}]}`},
		// A default is read with the decimal comma too.
		{name: "default", cfg: fromFile, row: "1006|3||", body: `{"productMaps":[{"productType":"product","price":{"amount":"9.50"},"links":{"product":"3-products"}}]}`},
		// A number cell's text has a dot: a number, not a misplaced mark.
		{name: "number cells", cfg: fromFile, row: "1006|3|2|8661.12", numeric: []bool{true, true, true, true}, body: `{"productMaps":[{"productType":"product","quantity":2,"price":{"amount":"8661.12"},"links":{"product":"3-products"}}]}`},
		// The same text in a text cell is refused.
		{name: "text cell", cfg: fromFile, row: "1006|3|2|8661.12", numeric: []bool{true, true, true, false}, err: `"8661.12" uses a dot as the decimal mark`},
		// Without the setting, a decimal comma is refused, naming the switch.
		{name: "off", cfg: nil, row: "1006|3|2|1,5", err: "--decimal-comma"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := NewSpec(strings.Split(header, "|"), tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			g := NewGrouper(spec, testAccount())
			grp := g.AddNumeric(2, strings.Split(tt.row, "|"), tt.numeric)
			if grp == nil {
				grp = g.Flush()
			}
			if tt.err != "" {
				if grp.Update != nil || !strings.Contains(grp.Rows[0].Err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", grp.Rows[0].Err, tt.err)
				}
				return
			}
			if grp.Update == nil {
				t.Fatalf("invalid: %v", grp.Rows[0].Err)
			}
			if got := string(grp.Update.JSON()); got != tt.body {
				t.Errorf("body %s, want %s", got, tt.body)
			}
		})
	}
}
