package mapping

import (
	"strconv"
	"strings"
	"testing"
)

// TestRowRules maps one row under a standard header and checks the update
// sent or the reason the row is refused.
func TestRowRules(t *testing.T) {
	const header = "Lead ID|Outcome|Competitors|Product|Quantity|Price|Currency"
	tests := []struct {
		row  string
		lead string // the update's lead; "" when the row is invalid
		body string // the exact JSON sent
		err  string // part of the row's error when invalid
	}{
		// A bare integer is a lead ID.
		{row: "1006|Won|||||", lead: "1006-leads", body: `{"outcomeId":"1-outcomes"}`},
		// A numeric XLSX cell arrives with ".0".
		{row: "1006.0|Won|||||", lead: "1006-leads", body: `{"outcomeId":"1-outcomes"}`},
		// Spaces around the ID are ignored.
		{row: " 1006 |Won|||||", lead: "1006-leads", body: `{"outcomeId":"1-outcomes"}`},
		// The full ID form.
		{row: "1006-leads|Won|||||", lead: "1006-leads", body: `{"outcomeId":"1-outcomes"}`},
		// The entity type in any case.
		{row: "1006-Leads|Won|||||", lead: "1006-leads", body: `{"outcomeId":"1-outcomes"}`},
		// The largest int64 is still an ID.
		{row: "9223372036854775807|Won|||||", lead: "9223372036854775807-leads", body: `{"outcomeId":"1-outcomes"}`},
		// Another entity's ID in the lead column.
		{row: "5-contacts|Won|||||", err: `column "Lead ID": "5-contacts" is a contacts ID, not a lead ID`},
		// Zero is no ID.
		{row: "0|Won|||||", err: `"0" is not a valid lead ID`},
		// Negative numbers are no IDs.
		{row: "-3|Won|||||", err: `"-3" is not a valid lead ID`},
		// A fraction is refused, not rounded.
		{row: "1006.5|Won|||||", err: "has a fraction"},
		// Excel shortened a small ID to scientific notation.
		{row: "1.006E+03|Won|||||", err: "format the column as Number with 0 decimals or as Text"},
		// Excel shortened a long ID: the digits are lost.
		{row: "1.23456789012346E+18|Won|||||", err: "format the column as Number with 0 decimals or as Text"},
		// Beyond int64: refused, never rounded.
		{row: "9223372036854775808|Won|||||", err: "too large to be a lead ID"},
		// Far beyond uint64.
		{row: "99999999999999999999999|Won|||||", err: "too large to be a lead ID"},
		// Text in the lead column.
		{row: "abc|Won|||||", err: `"abc" is not a lead ID`},
		// An empty lead cell with no lead_number column.
		{row: "|Won|||||", err: "the lead ID is empty"},

		// Outcome names ignore case and spaces.
		{row: "1006| no   DECISION |||||", lead: "1006-leads", body: `{"outcomeId":"4-outcomes"}`},
		// A bare integer outcome.
		{row: "1006|2|||||", lead: "1006-leads", body: `{"outcomeId":"2-outcomes"}`},
		// A full outcome ID in another case.
		{row: "1006|2-Outcomes|||||", lead: "1006-leads", body: `{"outcomeId":"2-outcomes"}`},
		// An outcome ID the account does not have.
		{row: "1006|99|||||", err: `unknown outcome "99-outcomes"; known outcomes: Won, Lost, Cancelled, No Decision`},
		// A misspelt outcome lists every known outcome.
		{row: "1006|Wonn|||||", err: `column "Outcome": unknown outcome "Wonn"; did you mean "Won"? Known outcomes: Won, Lost, Cancelled, No Decision`},
		// A product ID in the outcome column.
		{row: "1006|3-products|||||", err: `"3-products" is a products ID, not an outcome ID`},
		// An outcome number Excel shortened.
		{row: "1006|1e3|||||", err: "scientific notation"},
		// "open" reopens the lead.
		{row: "1006|open|||||", lead: "1006-leads", body: ``},
		// "Reopen" in any case reopens too.
		{row: "1006|REOPEN|||||", lead: "1006-leads", body: ``},
		// Reopen and maps cannot go together.
		{row: "1006|reopen||3|||", err: "cannot be combined with competitor maps or a product"},

		// A bare integer competitor map.
		{row: "1006|Lost|5||||", lead: "1006-leads", body: `{"outcomeId":"2-outcomes","competitorMaps":["5-competitorMaps"]}`},
		// Items are trimmed; empty items and duplicates dropped; order kept.
		{row: "1006|Lost| globex ; ;Acme;GLOBEX||||", lead: "1006-leads", body: `{"outcomeId":"2-outcomes","competitorMaps":["6-competitorMaps","5-competitorMaps"]}`},
		// An ID and the same map by name count once.
		{row: "1006|Lost|5-competitormaps;Acme||||", lead: "1006-leads", body: `{"outcomeId":"2-outcomes","competitorMaps":["5-competitorMaps"]}`},
		// A competitor the lead has no map for.
		{row: "1006|Lost|Initech||||", err: `lead 1006-leads has no competitor map for "Initech"; its competitors are: Acme, Globex`},
		// Another lead's map, given by ID.
		{row: "1007|Lost|5-competitorMaps||||", err: `lead 1007-leads has no competitor map 5-competitorMaps; its competitors are: Acme, Initech`},
		// A competitor's ID, as lookup competitors prints it, is that lead's map for it.
		{row: "1006|Lost|1-competitors||||", lead: "1006-leads", body: `{"outcomeId":"2-outcomes","competitorMaps":["5-competitorMaps"]}`},
		// The same competitor on another lead is that lead's map.
		{row: "1007|Lost|1-Competitors||||", lead: "1007-leads", body: `{"outcomeId":"2-outcomes","competitorMaps":["7-competitorMaps"]}`},
		// A catalogue that gives the competitor as a bare number still matches.
		{row: "1007|Lost|3-competitors||||", lead: "1007-leads", body: `{"outcomeId":"2-outcomes","competitorMaps":["8-competitorMaps"]}`},
		// A competitor ID and its name count once.
		{row: "1006|Lost|2-competitors;globex||||", lead: "1006-leads", body: `{"outcomeId":"2-outcomes","competitorMaps":["6-competitorMaps"]}`},
		// A competitor the lead has no map for, by ID.
		{row: "1006|Lost|3-competitors||||", err: `lead 1006-leads has no competitor map for competitor 3-competitors; its competitors are: Acme, Globex`},
		// A competitor ID of zero is malformed.
		{row: "1006|Lost|0-competitors||||", err: `"0-competitors" is not a valid competitor ID`},
		// Competitor maps alone are something to send.
		{row: "1006||Acme||||", lead: "1006-leads", body: `{"competitorMaps":["5-competitorMaps"]}`},

		// A product by name with quantity, price and currency.
		{row: "1006||| Widget |2|100|USD", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","quantity":2,"price":{"amount":"100.00","currency":"USD"},"links":{"product":"1-products"}}]}`},
		// A bare integer product alone: quantity and price omitted.
		{row: "1006|||3|||", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","links":{"product":"3-products"}}]}`},
		// Product names ignore case and inner spaces.
		{row: "1006|||gadget   PRO|||", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","links":{"product":"2-products"}}]}`},
		// A misspelt product suggests the closest names.
		{row: "1006|||Gadgt|||", err: `unknown product "Gadgt"; did you mean: Gadget Pro?`},
		// Two products share a name.
		{row: "1006|||Twin|||", err: `product "Twin" is ambiguous: several have that name (8-products, 9-products); use the ID instead`},
		// A product ID the catalogue lacks.
		{row: "1006|||77|||", err: `unknown product "77-products"`},
		// A lead ID in the product column.
		{row: "1006|||7-leads|||", err: `"7-leads" is a leads ID, not a product ID`},
		// "2.0" is a whole quantity.
		{row: "1006|||3|2.0||", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","quantity":2,"links":{"product":"3-products"}}]}`},
		// Spaces around a quantity.
		{row: "1006|||3| 2 ||", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","quantity":2,"links":{"product":"3-products"}}]}`},
		// Correct thousands grouping in a quantity.
		{row: "1006|||3|1,000||", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","quantity":1000,"links":{"product":"3-products"}}]}`},
		// Wrong grouping is refused.
		{row: "1006|||3|1,00||", err: `"1,00" is not a quantity`},
		// Fractional quantity.
		{row: "1006|||3|2.5||", err: `column "Quantity": "2.5" is not a whole number`},
		// Zero quantity.
		{row: "1006|||3|0||", err: `"0" is zero`},
		// Negative quantity.
		{row: "1006|||3|-1||", err: `"-1" is negative`},
		// Words are not quantities.
		{row: "1006|||3|two||", err: `"two" is not a quantity`},
		// A quantity needs a product.
		{row: "1006|Won|||2||", err: `column "Quantity": a quantity needs a product`},
		// A price needs a product.
		{row: "1006|Won||||100|", err: `column "Price": a price needs a product`},
		// A currency with a quantity needs a product too.
		{row: "1006|Won|||2||USD", err: `column "Quantity": a quantity needs a product`},
		// A currency with nothing to price is ignored (see TestCurrencyWithoutProduct).
		{row: "1006|Won|||||USD", lead: "1006-leads", body: `{"outcomeId":"1-outcomes"}`},
		// A "$" price agrees with USD.
		{row: "1006|||3||$1,234.50|USD", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","price":{"amount":"1234.50","currency":"USD"},"links":{"product":"3-products"}}]}`},
		// A "$" price agrees with CAD as well.
		{row: "1006|||3||$5|CAD", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","price":{"amount":"5.00","currency":"CAD"},"links":{"product":"3-products"}}]}`},
		// A bare "$" sets no currency: the account's own applies.
		{row: "1006|||3||$5|", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","price":{"amount":"5.00"},"links":{"product":"3-products"}}]}`},
		// "€" sets EUR when no currency is given.
		{row: "1006|||3||€ 99|", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","price":{"amount":"99.00","currency":"EUR"},"links":{"product":"3-products"}}]}`},
		// A price without any currency omits it.
		{row: "1006|||3||0.125|", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","price":{"amount":"0.125"},"links":{"product":"3-products"}}]}`},
		// "€" against a USD column.
		{row: "1006|||3||€ 99|USD", err: `column "Price": "€ 99" is in EUR but the currency is USD`},
		// "$" against EUR.
		{row: "1006|||3||$5|EUR", err: `"$5" has a dollar sign but the currency is EUR`},
		// Currency codes are upper-cased.
		{row: "1006|||3||100|usd", lead: "1006-leads", body: `{"productMaps":[{"productType":"product","price":{"amount":"100.00","currency":"USD"},"links":{"product":"3-products"}}]}`},
		// A currency that is not a code.
		{row: "1006|||3||100|US Dollars", err: `column "Currency": "US Dollars" is not a currency code`},
		// A decimal comma.
		{row: "1006|||3||1,5|", err: "use a dot for decimals"},
		// "1,234" could be either.
		{row: "1006|||3||1,234|", err: "is ambiguous"},

		// Nothing to send.
		{row: "1006||||||", err: "nothing to send"},
		// Fewer cells than the header.
		{row: "1006|Won", err: "row has 2 cells but the header has 7; check for a missing delimiter or an unquoted line break"},
		// Extra cells that are empty are harmless.
		{row: "1006|Won||||||| ", lead: "1006-leads", body: `{"outcomeId":"1-outcomes"}`},
		// Extra cells with text are not.
		{row: "1006|Won|||||| x", err: "row has 8 cells but the header has 7 and the extra cells are not empty"},
	}
	for _, tt := range tests {
		t.Run(tt.row, func(t *testing.T) {
			groups := group(t, nil, testAccount(), header, tt.row)
			if len(groups) != 1 || len(groups[0].Rows) != 1 {
				t.Fatalf("got %d groups, want 1 with 1 row", len(groups))
			}
			g := groups[0]
			if tt.err != "" {
				if g.Update != nil || g.Rows[0].Err == nil {
					t.Fatalf("valid (body %s), want error containing %q", g.Update.JSON(), tt.err)
				}
				if got := g.Rows[0].Err.Error(); !strings.Contains(got, tt.err) {
					t.Fatalf("error %q, want it to contain %q", got, tt.err)
				}
				return
			}
			if g.Update == nil {
				t.Fatalf("invalid: %v", g.Rows[0].Err)
			}
			if g.Update.Lead != tt.lead || string(g.Update.JSON()) != tt.body {
				t.Fatalf("lead %q body %s, want %q %s", g.Update.Lead, g.Update.JSON(), tt.lead, tt.body)
			}
		})
	}
}

// TestCompetitorIDUnchecked checks that a competitor's ID passes a run that
// cannot read the lead's competitor maps, shown and noted like a name.
func TestCompetitorIDUnchecked(t *testing.T) {
	groups := group(t, nil, UncheckedResolver(), "Lead ID|Outcome|Competitors", "1006|2|1-competitors")
	g := groups[0]
	if g.Update == nil {
		t.Fatalf("invalid: %v", g.Rows[0].Err)
	}
	if got := string(g.Update.JSON()); got != `{"outcomeId":"2-outcomes","competitorMaps":["<1-competitors>"]}` {
		t.Errorf("body %s", got)
	}
	if !strings.Contains(g.Rows[0].Note, `competitor "1-competitors"`) {
		t.Errorf("note %q does not name the competitor", g.Rows[0].Note)
	}
}

// TestParseID checks the exported ID parser, and that it accepts exactly the
// lead IDs a row's lead cell accepts.
func TestParseID(t *testing.T) {
	tests := []struct {
		in, typ string
		want    string // "" when refused
	}{
		// The API's form.
		{"1006-leads", "leads", "1006-leads"},
		// The type in another case.
		{"1006-Leads", "leads", "1006-leads"},
		// A bare number.
		{"1006", "leads", "1006-leads"},
		// A number cell's text.
		{"1006.0", "leads", "1006-leads"},
		// Spaces around.
		{" 1006 ", "leads", "1006-leads"},
		// Leading zeros are dropped.
		{"007-products", "products", "7-products"},
		// A mixed-case type keeps the caller's spelling.
		{"5-competitormaps", "competitorMaps", "5-competitorMaps"},
		// The largest int64.
		{"9223372036854775807", "leads", "9223372036854775807-leads"},
		// Another type's ID.
		{"5-contacts", "leads", ""},
		// A fraction.
		{"1006.5", "leads", ""},
		// Zero.
		{"0", "leads", ""},
		// Negative.
		{"-3", "leads", ""},
		// Beyond int64.
		{"9223372036854775808", "leads", ""},
		// Scientific notation.
		{"1.006E+03", "leads", ""},
		// A name.
		{"Widget", "products", ""},
		// A name starting with a number.
		{"2-Pack", "products", ""},
		// Empty.
		{"", "leads", ""},
		// A dot with nothing after it.
		{"1006.", "leads", ""},
	}
	for _, tt := range tests {
		id, n, ok := ParseID(tt.in, tt.typ)
		if id != tt.want || ok != (tt.want != "") || ok && strconv.FormatUint(n, 10)+"-"+tt.typ != id {
			t.Errorf("ParseID(%q, %q) = %q, %d, %v; want %q", tt.in, tt.typ, id, n, ok, tt.want)
		}
		if tt.typ == "leads" {
			_, kind, _ := parseRef(strings.TrimSpace(tt.in), entLead)
			if (kind == refID) != ok {
				t.Errorf("ParseID(%q) ok = %v but the lead column reads it as %v", tt.in, ok, kind)
			}
		}
	}
}
