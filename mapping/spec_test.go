package mapping

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestHeaderRecognition checks the header spellings each field is known by.
func TestHeaderRecognition(t *testing.T) {
	tests := []struct {
		header string
		field  string // "" when the column is only carried
	}{
		// The documented spelling with a space.
		{"Lead ID", "lead"},
		// With an underscore.
		{"lead_id", "lead"},
		// In camel case.
		{"leadId", "lead"},
		// Upper case with a dash.
		{"LEAD-ID", "lead"},
		// The bare field name.
		{"Lead", "lead"},
		// A byte-order mark left on the first header.
		{"\ufefflead_id", "lead"},
		// Lead numbers with a space.
		{"Lead Number", "lead_number"},
		// Lead numbers in camel case.
		{"leadNumber", "lead_number"},
		// The bare outcome.
		{"Outcome", "outcome"},
		// Outcome IDs.
		{"outcome_id", "outcome"},
		// Outcome IDs in camel case.
		{"OutcomeId", "outcome"},
		// Competitor maps with a space.
		{"Competitor Maps", "competitor_maps"},
		// Competitor maps in camel case.
		{"competitorMaps", "competitor_maps"},
		// Plain "Competitors".
		{"Competitors", "competitor_maps"},
		// The bare product.
		{"Product", "product"},
		// Product IDs.
		{"product_id", "product"},
		// Product IDs in camel case.
		{"productId", "product"},
		// Quantity.
		{"Quantity", "quantity"},
		// Price in upper case.
		{"PRICE", "price"},
		// Currency.
		{"currency", "currency"},
		// A near miss is an ordinary column.
		{"Lead Name", ""},
		// The usual abbreviation of quantity.
		{"Qty", "quantity"},
		// In upper case with a dot-free spelling.
		{"QTY", "quantity"},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			header := []string{tt.header, "Deal"}
			if tt.field != "lead" {
				header = append(header, "lead_id") // every file needs a lead column
			}
			spec, err := NewSpec(header, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for f, i := range spec.col {
				if i == 0 {
					got = field(f).String()
				}
			}
			if got != tt.field {
				t.Errorf("%q read as %q, want %q", tt.header, got, tt.field)
			}
		})
	}
}

// TestHeaderErrors checks the header problems reported before any row is read.
func TestHeaderErrors(t *testing.T) {
	tests := []struct {
		header []string
		cfg    string
		want   []string // parts of the message
	}{
		// Two columns read as the lead.
		{header: []string{"Lead ID", "lead_id", "Outcome"}, want: []string{`"Lead ID"`, `"lead_id"`, "both read as the lead field", "rename or remove one"}},
		// Two outcome columns.
		{header: []string{"lead", "Outcome", "outcome_id"}, want: []string{`"Outcome"`, `"outcome_id"`, "outcome"}},
		// No lead column: lists the headers and mentions --mapping.
		{header: []string{"Deal", "Stage"}, want: []string{`"Deal", "Stage"`, "--mapping", "lead_id", "lead_number"}},
		// A report's own lead column does not count as a lead column.
		{header: []string{"import_lead_id", "Stage"}, want: []string{`headers "Stage"`}},
		// The mapping file names a header the file lacks.
		{header: []string{"Deal", "Stage"}, cfg: "columns:\n  lead: Opportunity\n", want: []string{"line 2", `"Opportunity"`, "does not have", `"Deal", "Stage"`}},
		// An unquoted "Deal #" loses its "#" to a YAML comment: say so.
		{header: []string{"Deal #", "Stage"}, cfg: "columns:\n  lead: Deal #\n", want: []string{`"Deal"`, "put the header in quotes"}},
		// The mapping file names a header two columns share.
		{header: []string{"Deal", "deal "}, cfg: "columns:\n  lead: Deal\n", want: []string{"two columns have that header"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.header, ","), func(t *testing.T) {
			var cfg *Config
			if tt.cfg != "" {
				cfg = mustConfig(t, tt.cfg)
			}
			_, err := NewSpec(tt.header, cfg)
			var he *HeaderError
			if !errors.As(err, &he) {
				t.Fatalf("error %v, want *HeaderError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(he.Msg, w) {
					t.Errorf("message %q lacks %q", he.Msg, w)
				}
			}
		})
	}
}

// TestMappingFileColumns checks that a mapping file picks columns by header
// text, case-insensitively, and takes precedence over standard names.
func TestMappingFileColumns(t *testing.T) {
	cfg := mustConfig(t, "columns:\n  lead: \" opportunity id \"\n  lead_number: \"Deal #\"\n")
	spec, err := NewSpec([]string{"Lead ID", "Opportunity ID", "deal #", "Outcome"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if spec.colName[fLead] != "Opportunity ID" || spec.colName[fLeadNumber] != "deal #" {
		t.Errorf("lead from %q, number from %q", spec.colName[fLead], spec.colName[fLeadNumber])
	}
	// The standard "Lead ID" column is then an ordinary carried column, not a duplicate.
	if spec.col[fLead] != 1 || spec.col[fLeadNumber] != 2 || spec.col[fOutcome] != 3 {
		t.Errorf("lead, lead_number and outcome from columns %d, %d, %d; want 1, 2, 3", spec.col[fLead], spec.col[fLeadNumber], spec.col[fOutcome])
	}
	if got := strings.Join(spec.NotSent(), ","); got != "Lead ID" {
		t.Errorf("NotSent = %q, want the shadowed Lead ID", got)
	}
}

// TestColumnsAndCarry checks what goes into the report for each row: its
// cells minus the import_* ones, and with typed input, their number flags.
func TestColumnsAndCarry(t *testing.T) {
	spec, err := NewSpec([]string{"Lead ID", "import_result", "Note", "IMPORT_error", "Outcome"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(spec.Columns(), ","); got != "Lead ID,Note,Outcome" {
		t.Fatalf("columns %q, want import_* left out", got)
	}
	tests := []struct {
		cells   []string
		numeric []bool
		want    string
		wantNum string // the carried flags as 0s and 1s; "" for none
	}{
		// A full row, minus its import_* cells.
		{[]string{"1006", "failed", "hi", "boom", "Won"}, nil, "1006|hi|Won", ""},
		// A short row is padded.
		{[]string{"1006", "x"}, nil, "1006||", ""},
		// An empty row.
		{nil, nil, "||", ""},
		// Extra cells are not carried.
		{[]string{"1006", "", "n", "", "Won", "extra"}, nil, "1006|n|Won", ""},
		// Number flags follow their cells past the import_* columns.
		{[]string{"1006", "7", "12.5", "", "Won"}, []bool{true, true, true, false, false}, "1006|12.5|Won", "110"},
		// Short flags are padded with false.
		{[]string{"1006", "", "9", "", "Won"}, []bool{true}, "1006|9|Won", "100"},
	}
	for _, tt := range tests {
		g := NewGrouper(spec, UncheckedResolver())
		cells := slices.Clone(tt.cells)
		numeric := slices.Clone(tt.numeric)
		grp := g.AddNumeric(2, cells, numeric)
		if grp == nil {
			grp = g.Flush()
		}
		for i := range cells {
			cells[i] = "changed" // the caller reuses its slices
		}
		for i := range numeric {
			numeric[i] = !numeric[i]
		}
		r := grp.Rows[0]
		if got := strings.Join(r.Cells, "|"); got != tt.want || len(r.Cells) != 3 {
			t.Errorf("cells %q carried as %q, want %q", tt.cells, r.Cells, tt.want)
		}
		gotNum := ""
		for _, b := range r.Numeric {
			gotNum += map[bool]string{false: "0", true: "1"}[b]
		}
		if gotNum != tt.wantNum || (tt.numeric == nil) != (r.Numeric == nil) {
			t.Errorf("flags %v carried as %v, want %q", tt.numeric, r.Numeric, tt.wantNum)
		}
	}
	cols := spec.Columns()
	cols[0] = "changed"
	if spec.Columns()[0] != "Lead ID" {
		t.Error("Columns returned the Spec's own slice")
	}
}

// TestNearMissHeaders checks which headers stop the run as a likely misspelt
// field name, and that the message names the header, the name it is close
// to and the three ways out.
func TestNearMissHeaders(t *testing.T) {
	tests := []struct {
		header string
		near   string // the known name it is close to; "" when it must not trip
	}{
		// One letter missing from a long name.
		{"Outcom", "outcome"},
		// One letter added to a long name.
		{"Quantitiy", "quantity"},
		// One letter missing from a 5-letter name.
		{"Prce", "price"},
		// The singular of a plural name.
		{"Competitor Map", "competitor_maps"},
		// A letter doubled.
		{"Lead Idd", "lead_id"},
		// Two letters added to a long name.
		{"Outcomes X", "outcome"},
		// Two letters swapped in a long name (distance 2).
		{"Prodcut", "product"},
		// A plural of a short name: one letter added.
		{"Leads", "lead"},
		// A symbol added to a short name.
		{"Lead #", "lead"},
		// Underscores and case do not hide a near miss.
		{"CURRENCY_CODEX", ""},
		// Normalised like recognised headers: "lead-idd".
		{"lead-idd", "lead_id"},
		// One letter off the abbreviation.
		{"Qtys", "qty"},
		// Two letters missing from a long name.
		{"Curency", "currency"},

		// Another field's words added: not a misspelling.
		{"Lead Name", ""},
		// Outcome with a word added.
		{"Outcome Notes", ""},
		// No known name nearby.
		{"Owner", ""},
		// Two letters off "lead", which allows one.
		{"Deal", ""},
		// Two letters off "lead".
		{"Team", ""},
		// Two letters off "lead".
		{"Year", ""},
		// Two letters off "qty".
		{"City", ""},
		// Two letters off "qty".
		{"Key", ""},
		// Two letters off "qty".
		{"Day", ""},
		// A word added to price.
		{"Unit Price", ""},
		// No known name nearby.
		{"Notes", ""},
		// A report's own columns are never checked.
		{"import_outcom", ""},
		// An empty header.
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			header := []string{"Lead ID", tt.header, "Outcome"}
			spec, err := NewSpec(header, nil)
			if tt.near == "" {
				if err != nil {
					t.Fatalf("NewSpec: %v, want %q carried", err, tt.header)
				}
				if got := spec.NotSent(); tt.header != "" && !strings.HasPrefix(tt.header, "import_") && (len(got) != 1 || got[0] != tt.header) {
					t.Errorf("NotSent = %q, want [%q]", got, tt.header)
				}
				return
			}
			var he *HeaderError
			if !errors.As(err, &he) {
				t.Fatalf("error %v, want *HeaderError", err)
			}
			for _, w := range []string{`header "` + tt.header + `"`, `close to "` + tt.near + `"`, "rename it", "columns: ", `ignore: ["` + tt.header + `"]`} {
				if !strings.Contains(he.Msg, w) {
					t.Errorf("message %q lacks %q", he.Msg, w)
				}
			}
			if strings.Contains(he.Msg, "\n") {
				t.Errorf("message %q is more than one line", he.Msg)
			}
		})
	}
}

// TestIgnoreHeaders checks that a mapping file's ignore list keeps a column
// carried and unread: near misses and standard names alike.
func TestIgnoreHeaders(t *testing.T) {
	cfg := mustConfig(t, "ignore: [outcom, \" Price \"]\n")
	spec, err := NewSpec([]string{"Lead ID", "Outcom", "Price", "Outcome", "Owner", "import_result"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if spec.col[fPrice] >= 0 {
		t.Errorf("an ignored Price column is read as the price")
	}
	if got := strings.Join(spec.NotSent(), ","); got != "Outcom,Price,Owner" {
		t.Errorf("NotSent = %q, want Outcom,Price,Owner", got)
	}
	if got := strings.Join(spec.Columns(), ","); got != "Lead ID,Outcom,Price,Outcome,Owner" {
		t.Errorf("Columns = %q", got)
	}
}

// TestNotSent checks the carried columns listed as not sent.
func TestNotSent(t *testing.T) {
	tests := []struct {
		header []string
		cfg    string
		want   string
	}{
		// The sample's carried columns.
		{header: []string{"Lead ID", "Deal Name", "Owner", "Outcome", "Competitor Maps", "Product", "Quantity", "Price", "Currency"}, want: "Deal Name,Owner"},
		// Every column read: none listed.
		{header: []string{"lead", "outcome"}, want: ""},
		// A standard name shadowed by a mapped column is not sent.
		{header: []string{"Lead ID", "Opportunity", "Outcome"}, cfg: "columns:\n  lead: Opportunity\n", want: "Lead ID"},
		// import_* columns are not carried at all.
		{header: []string{"lead", "import_result", "Note"}, want: "Note"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.header, ","), func(t *testing.T) {
			var cfg *Config
			if tt.cfg != "" {
				cfg = mustConfig(t, tt.cfg)
			}
			spec, err := NewSpec(tt.header, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(spec.NotSent(), ","); got != tt.want {
				t.Errorf("NotSent = %q, want %q", got, tt.want)
			}
		})
	}
}
