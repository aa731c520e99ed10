package mapping

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzGrouper feeds random headers and rows through the Grouper: it must
// never panic, must hand out every row exactly once and in order, and a
// valid group's update must be for the lead its rows name.
func FuzzGrouper(f *testing.F) {
	f.Add("Lead ID|Outcome|Product|Quantity|Price|Currency", "1006|Won|3|2|$1,200.00|USD\n1006||Widget|1|99 €|\n1007|Lost||||\n1006|Won||||", false)
	f.Add("lead|lead_number|outcome|competitors", "|501|Won|Acme\n1006|501|Won|Acme;Globex\n1006|502|open|\n|||", true)
	f.Add("lead_id|outcome|import_result|note", "5-contacts|Won|x|\n1.006E+03|Won\n1006.0|reopen||x|y\n0|Wonn|", false)
	f.Add("Lead|Lead|outcome", "1|2|3", true)
	f.Add("lead|product|price|quantity", "9223372036854775807|1|(5)|1,000\n9223372036854775808|1|1,234|2.5", false)
	f.Fuzz(func(t *testing.T, header, body string, unchecked bool) {
		spec, err := NewSpec(strings.Split(header, "|"), nil)
		if err != nil {
			if _, ok := err.(*HeaderError); !ok {
				t.Fatalf("NewSpec error %T, want *HeaderError", err)
			}
			return
		}
		var res Resolver = testAccount()
		if unchecked {
			res = UncheckedResolver()
		}
		g := NewGrouper(spec, res)
		lines := strings.Split(body, "\n")
		input := map[int][]string{}
		var groups []*Group
		for i, line := range lines {
			cells := strings.Split(line, "|")
			input[i+2] = cells
			if grp := g.Add(i+2, cells); grp != nil {
				groups = append(groups, grp)
			}
		}
		if grp := g.Flush(); grp != nil {
			groups = append(groups, grp)
		}
		next := 2
		for _, grp := range groups {
			if len(grp.Rows) == 0 {
				t.Fatal("empty group")
			}
			for _, r := range grp.Rows {
				if r.Number != next {
					t.Fatalf("row %d handed out where row %d was due", r.Number, next)
				}
				next++
				if len(r.Cells) != len(spec.Columns()) {
					t.Fatalf("row %d carries %d cells for %d columns", r.Number, len(r.Cells), len(spec.Columns()))
				}
				if grp.Update == nil && (r.Err == nil || r.Err.Error() == "") {
					t.Fatalf("row %d of an invalid group has no error", r.Number)
				}
				if r.Err != nil && r.Err.Kind == "" {
					t.Fatalf("row %d: error %q has no kind", r.Number, r.Err)
				}
				if grp.Update != nil && r.Err != nil {
					t.Fatalf("row %d of a valid group has error %v", r.Number, r.Err)
				}
			}
			if grp.Update == nil {
				continue
			}
			if body := grp.Update.JSON(); body != nil && !json.Valid(body) {
				t.Fatalf("invalid JSON %s", body)
			}
			if i := spec.col[fLead]; i >= 0 {
				for _, r := range grp.Rows {
					cells := input[r.Number]
					n, kind, _ := parseRef(strings.TrimSpace(cells[i]), entLead)
					if kind == refID && formatID("", n, entLead) != grp.Update.Lead {
						t.Fatalf("row %d names lead %q but its update is for %s", r.Number, cells[i], grp.Update.Lead)
					}
				}
			}
		}
		if next != len(lines)+2 {
			t.Fatalf("%d rows handed out, want %d", next-2, len(lines))
		}
	})
}

// FuzzParseConfig checks that no mapping file makes ParseConfig or NewSpec
// panic, and that every error is a *ConfigError.
func FuzzParseConfig(f *testing.F) {
	f.Add("columns:\n  lead: \"Opportunity ID\"\nvalues:\n  outcome:\n    \"Closed Won\": Won\ndefaults:\n  currency: USD\nlist_separator: \";\"\n")
	f.Add("colums:\n  lead: A\n")
	f.Add("values: &a\n  outcome: *a\n")
	f.Add("columns: [1, 2]\n")
	f.Add("ignore: [Stage, \"Opportunity ID\"]\ncolumns:\n  lead: stage\n")
	f.Fuzz(func(t *testing.T, in string) {
		cfg, err := ParseConfig([]byte(in))
		if err != nil {
			if _, ok := err.(*ConfigError); !ok {
				t.Fatalf("error %T %v, want *ConfigError", err, err)
			}
			return
		}
		if spec, err := NewSpec([]string{"lead", "Opportunity ID", "Stage"}, cfg); err == nil {
			NewGrouper(spec, UncheckedResolver()).Add(2, []string{"1006", "Closed Won", "x"})
		}
	})
}
