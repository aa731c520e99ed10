package mapping

import (
	"strings"
	"testing"
)

// TestSkipValue: a HubSpot export with deals in open stages maps those
// stages to skip; their rows are left alone, the others are sent.
func TestSkipValue(t *testing.T) {
	cfg := mustConfig(t, `
columns:
  lead: "Record ID"
  outcome: "Deal Stage"
values:
  outcome:
    "Closed won": Won
    "Closed lost": Lost
    "Appointment scheduled": SKIP
`)
	groups := group(t, cfg, testAccount(), "Record ID|Deal Stage",
		"1006|Closed won",
		"1007| appointment  scheduled ",
		"abc|Appointment scheduled", // skipped before the lead is read
		"1008|Closed lost")
	if len(groups) != 4 {
		t.Fatalf("%d groups, want 4", len(groups))
	}
	for i, want := range []string{"", `Deal Stage "appointment  scheduled" is mapped to skip`, `Deal Stage "Appointment scheduled" is mapped to skip`, ""} {
		g := groups[i]
		switch err := g.Rows[0].Err; {
		case want == "" && (err != nil || g.Update == nil):
			t.Errorf("row %d: %v, want it sent", g.Rows[0].Number, err)
		case want != "" && (!err.Skipped() || err.Reason != want || g.Update != nil):
			t.Errorf("row %d: %v (update %v), want skipped with %q", g.Rows[0].Number, err, g.Update, want)
		}
	}
}

// TestCurrencyWithoutProduct: a Salesforce export puts a currency on every
// row; on a row with no product and no price it is ignored, with a note.
func TestCurrencyWithoutProduct(t *testing.T) {
	groups := group(t, nil, testAccount(), "Lead ID|Outcome|Product|Price|Currency",
		"1006|Won|||USD",
		"1007|Won||100|USD")
	if g := groups[0]; g.Update == nil || !strings.Contains(g.Rows[0].Note, `currency "USD" ignored: the row has no product or price`) {
		t.Errorf("row 2: err %v note %q, want it sent with a note", g.Rows[0].Err, g.Rows[0].Note)
	}
	if g := groups[1]; g.Update != nil || !strings.Contains(g.Rows[0].Err.Error(), "a price needs a product") {
		t.Errorf("row 3: a price without a product was not refused")
	}
}

func TestIsHeader(t *testing.T) {
	mapped := mustConfig(t, "columns:\n  lead: \"Opportunity ID\"\n")
	for _, tc := range []struct {
		cfg   *Config
		cells []string
		want  bool
	}{
		{nil, []string{"Q4 2026 close-out — West region"}, false},
		{nil, []string{"", "Lead ID", "Outcome"}, true},
		{nil, []string{"Deal", "LEAD_NUMBER"}, true},
		{nil, []string{"Leads"}, false},
		{mapped, []string{" opportunity id ", "Stage"}, true},
		{mapped, []string{"Opportunity", "Stage"}, false},
	} {
		if got := IsHeader(tc.cfg)(tc.cells); got != tc.want {
			t.Errorf("IsHeader(%q) = %v, want %v", tc.cells, got, tc.want)
		}
	}
	if cfg := mustConfig(t, "header_row: 4\n"); cfg.HeaderRow() != 4 {
		t.Errorf("header_row: 4 read as %d", cfg.HeaderRow())
	}
	if _, err := ParseConfig([]byte("header_row: top\n")); err == nil || !strings.Contains(err.Error(), "header_row must be the spreadsheet row number") {
		t.Errorf("header_row: top gave %v", err)
	}
}

func TestOutcomeSuggestion(t *testing.T) {
	groups := group(t, nil, testAccount(), "Lead ID|Outcome", "1006|Canceled")
	want := `unknown outcome "Canceled"; did you mean "Cancelled"? Known outcomes: Won, Lost, Cancelled, No Decision`
	if err := groups[0].Rows[0].Err; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestNearMissesAtOnce: every near-miss header is reported in one message.
func TestNearMissesAtOnce(t *testing.T) {
	_, err := NewSpec([]string{"Lead ID", "Outcom", "Prodcut", "Prce"}, nil)
	if err == nil {
		t.Fatal("near misses accepted")
	}
	for _, want := range []string{`3 headers are close`, `"Outcom" is close to "outcome"`, `"Prodcut" is close to "product"`, `"Prce" is close to "price"`, `ignore: ["Outcom", "Prodcut", "Prce"]`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}

// TestOutcomeColumnUnread: a "Status" column of outcomes beside products is
// refused, not ignored.
func TestOutcomeColumnUnread(t *testing.T) {
	header := []string{"Lead ID", "Deal", "Status", "Product", "Qty", "Price"}
	rows := [][]string{
		{"1001", "Acme", "Won", "Widget", "1", "10"},
		{"1002", "Beta", " won ", "Widget", "1", "10"},
		{"1003", "Gamma", "Lost", "Widget", "1", "10"},
		{"1004", "Delta", "", "Widget", "1", "10"},
		{"1005", "Won", "Pending", "Widget", "1", "10"},
	}
	for _, tc := range []struct {
		name, yaml string
		names      []string
		want       string // "" = accepted
	}{
		{"defaults", "", nil, `column "Status" holds outcome names (Won ×2, Lost ×1) but is not read as the outcome; map it (columns: outcome: "Status") or keep it as a carried column (ignore: ["Status"])`},
		{"account's names", "", []string{"Won", "Pending"}, `column "Status" holds outcome names (Won ×2, Pending ×1)`},
		{"ignored", "ignore: [Status]\n", nil, ""},
		{"mapped", "columns:\n  outcome: Status\n", nil, ""},
		{"default outcome", "defaults:\n  outcome: Won\n", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mustConfig(t, tc.yaml)
			spec, err := NewSpec(header, cfg)
			if err != nil {
				t.Fatal(err)
			}
			tally := spec.OutcomeTally(cfg)
			for _, r := range rows {
				tally.Add(r)
			}
			err = tally.Check(tc.names)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	// With the account's names, Lost alone is a third of four filled cells: not mostly.
	spec, _ := NewSpec(header, nil)
	tally := spec.OutcomeTally(nil)
	for _, r := range rows {
		tally.Add(r)
	}
	if err := tally.Check([]string{"Lost"}); err != nil {
		t.Errorf("a column with one outcome name in four was refused: %v", err)
	}
}
