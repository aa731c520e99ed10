package mapping

import "testing"

// TestMergedUpdateJSON checks the exact bytes sent for a lead whose rows
// merge an outcome, competitor maps and several products.
func TestMergedUpdateJSON(t *testing.T) {
	groups := group(t, nil, testAccount(),
		"Lead ID|Outcome|Competitors|Product|Quantity|Price|Currency",
		"1006-leads|Won|Acme;Globex|Widget|2|$1,200.00|USD",
		"1006||Globex; Acme|3|1|€ 99|",
		"1006|||gadget pro||0.5|",
	)
	const want = `{"outcomeId":"1-outcomes","competitorMaps":["5-competitorMaps","6-competitorMaps"],"productMaps":[` +
		`{"productType":"product","quantity":2,"price":{"amount":"1200.00","currency":"USD"},"links":{"product":"1-products"}},` +
		`{"productType":"product","quantity":1,"price":{"amount":"99.00","currency":"EUR"},"links":{"product":"3-products"}},` +
		`{"productType":"product","price":{"amount":"0.50"},"links":{"product":"2-products"}}]}`
	if len(groups) != 1 || groups[0].Update == nil {
		t.Fatalf("groups %v, want one valid", rowErrors(groups))
	}
	if got := string(groups[0].Update.JSON()); got != want {
		t.Fatalf("body\n%s\nwant\n%s", got, want)
	}
}
