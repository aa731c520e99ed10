package mapping

import (
	"errors"
	"reflect"
	"testing"
)

// TestFileRoundTrip: a mapping file written from choices reads back, with
// ParseConfig as --mapping reads it, to the same choices.
func TestFileRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		f    File
	}{
		{"empty", File{}},
		{"stages", File{
			HeaderRow: 3,
			Columns:   map[string]string{"lead": "Deal ID", "outcome": "Status"},
			Values:    map[string]map[string]string{"outcome": {"Closed won": "Won", "Closed lost": "Lost", "Appointment scheduled": SkipValue}},
			Ignore:    []string{"Deal Name", "Owner: #1"},
		}},
		{"text that YAML would read otherwise", File{
			Columns:       map[string]string{"lead": "Deal #", "product": "yes", "price": "007"},
			Values:        map[string]map[string]string{"product": {"0012": "3", "null": "~"}},
			Defaults:      map[string]string{"currency": "EUR", "quantity": "1"},
			ListSeparator: "/",
			DecimalComma:  true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.f.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := ParseConfig(data)
			if err != nil {
				t.Fatalf("ParseConfig: %v\n%s", err, data)
			}
			want := tt.f
			for _, m := range []*map[string]string{&want.Columns, &want.Defaults} {
				if *m == nil {
					*m = map[string]string{}
				}
			}
			if want.Values == nil {
				want.Values = map[string]map[string]string{}
			}
			if got := cfg.File(); !reflect.DeepEqual(got, want) {
				t.Errorf("read back\n%+v\nwant\n%+v\nfile:\n%s", got, want, data)
			}
		})
	}
}

// TestFileMarshalRefuses: choices ParseConfig would refuse are not written.
func TestFileMarshalRefuses(t *testing.T) {
	_, err := File{Columns: map[string]string{"lead": "A", "outcome": "a"}}.Marshal()
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a ConfigError", err)
	}
}

// TestCheckHeaderListsAll: every problem of a header at once, the first
// being NewSpec's.
func TestCheckHeaderListsAll(t *testing.T) {
	header := []string{"Deal", "Prodcut", "Quantitiy", "Status"}
	_, errs := CheckHeader(header, nil)
	var kinds []HeaderProblem
	for _, err := range errs {
		var he *HeaderError
		if !errors.As(err, &he) {
			t.Fatalf("%v is not a HeaderError", err)
		}
		kinds = append(kinds, he.Kind)
		if he.Kind == ProblemNearMiss && !reflect.DeepEqual(he.Columns, []string{"Prodcut", "Quantitiy"}) {
			t.Errorf("near misses %q", he.Columns)
		}
	}
	if want := []HeaderProblem{ProblemNearMiss, ProblemNoLead}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
	if _, err := NewSpec(header, nil); err == nil || err.Error() != errs[0].Error() {
		t.Errorf("NewSpec: %v, want %v", err, errs[0])
	}
}

// TestSends: a header sends something only with an outcome, competitor
// maps or a product, from a column or a default.
func TestSends(t *testing.T) {
	tests := []struct {
		header []string
		yaml   string
		want   bool
	}{
		{[]string{"lead_id", "Status"}, "", false},
		{[]string{"lead_id", "outcome"}, "", true},
		{[]string{"lead_id", "Status"}, "columns: {outcome: Status}", true},
		{[]string{"lead_id", "product"}, "", true},
		{[]string{"lead_id", "competitors"}, "", true},
		{[]string{"lead_id", "price"}, "", false},
		{[]string{"lead_id"}, "defaults: {outcome: Won}", true},
	}
	for _, tt := range tests {
		cfg, err := ParseConfig([]byte(tt.yaml))
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewSpec(tt.header, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Sends(); got != tt.want {
			t.Errorf("%q %q: Sends %v, want %v", tt.header, tt.yaml, got, tt.want)
		}
	}
}
