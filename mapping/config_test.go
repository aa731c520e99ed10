package mapping

import (
	"errors"
	"strings"
	"testing"
)

// TestParseConfigGood parses the documented example and checks each part.
func TestParseConfigGood(t *testing.T) {
	cfg := mustConfig(t, `# columns: field → the header in your file
columns:
  lead: "Opportunity ID"
  outcome: "Stage"
  competitor_maps: "Competitors"
  product: "SKU"
  quantity: "Qty"
  price: "Amount"
  currency: "Cur"
  lead_number: "Deal #"
values:
  outcome:
    "Closed Won": Won
    "Closed Lost": Lost
    Lucky: 007
    Big: 1e3
    Octal: 01234
  product:
    0012: 3
defaults:
  currency: usd
  quantity: 1
list_separator: "/"
`)
	if got := cfg.columns[fLead].header; got != "Opportunity ID" {
		t.Errorf("lead column %q", got)
	}
	if got := cfg.columns[fLeadNumber].header; got != "Deal #" {
		t.Errorf("lead_number column %q", got)
	}
	values := []struct {
		f         field
		key, want string
	}{
		// A quoted key, matched in its name form.
		{fOutcome, "closed won", "Won"},
		// An unquoted 007 stays text, not 7.
		{fOutcome, "lucky", "007"},
		// An unquoted 1e3 stays text, not 1000.
		{fOutcome, "big", "1e3"},
		// An unquoted 01234 stays text, not octal 668.
		{fOutcome, "octal", "01234"},
		// Keys keep their leading zeros too.
		{fProduct, "0012", "3"},
	}
	for _, v := range values {
		if got, ok := cfg.values[v.f][v.key]; !ok || got != v.want {
			t.Errorf("values.%s[%q] = %q, %v; want %q", v.f, v.key, got, ok, v.want)
		}
	}
	if cfg.defaults[fCurrency] != "USD" || cfg.defaults[fQuantity] != "1" || cfg.separator != "/" {
		t.Errorf("defaults %q, separator %q", cfg.defaults, cfg.separator)
	}
}

// TestParseConfigEmpty accepts files that set nothing.
func TestParseConfigEmpty(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n", "---\n", "columns:\n"} {
		cfg := mustConfig(t, in)
		if cfg.separator != ";" {
			t.Errorf("%q: separator %q, want the default", in, cfg.separator)
		}
	}
}

// TestParseConfigErrors checks that each mistake names its line and key.
func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		in   string
		line int
		key  string
		msg  string // the whole Error() when it starts with "line", else a part of it
	}{
		// A misspelt top-level key, with the documented message.
		{in: "columns:\n  lead: A\ncolums:\n  outcome: B\n", line: 3, key: "colums",
			msg: `line 3: unknown key "colums" (known: columns, values, defaults, list_separator, ignore, decimal_separator, header_row)`},
		// An unknown field under columns.
		{in: "columns:\n  leed: A\n", line: 2, key: "leed", msg: `columns: unknown field "leed" (known: lead, lead_number, outcome, competitor_maps, product, quantity, price, currency)`},
		// An unknown field under values.
		{in: "values:\n  stage:\n    a: b\n", line: 2, key: "stage", msg: `values: unknown field "stage"`},
		// An unknown field under defaults.
		{in: "defaults:\n  colour: red\n", line: 2, key: "colour", msg: `defaults: unknown field "colour"`},
		// A default lead makes no sense.
		{in: "defaults:\n  lead: 1006\n", line: 2, key: "lead", msg: "lead cannot have a default"},
		// An empty list separator.
		{in: "list_separator: \"\"\n", line: 1, key: "list_separator", msg: "list_separator is empty"},
		// A list separator left blank.
		{in: "list_separator:\n", line: 1, key: "list_separator", msg: "list_separator is empty"},
		// A column with no header text.
		{in: "columns:\n  lead:\n", line: 2, key: "lead", msg: "columns: lead needs the header text"},
		// Two fields from one column.
		{in: "columns:\n  lead: Deal\n  outcome: deal \n", line: 3, key: "outcome", msg: `columns: lead and outcome both name the header "deal"`},
		// The same field twice.
		{in: "columns:\n  lead: A\n  lead: B\n", line: 3, key: "lead", msg: "lead appears again (first on line 2)"},
		// Two value keys that differ only in case and spaces.
		{in: "values:\n  outcome:\n    Closed Won: Won\n    closed  won: Lost\n", line: 4, key: "closed  won", msg: `"Closed Won" and "closed  won" are the same cell value`},
		// A bad default currency is caught once, here.
		{in: "defaults:\n  currency: dollars\n", line: 2, key: "currency", msg: `"dollars" is not a currency code`},
		// A bad default price.
		{in: "defaults:\n  price: 1,5\n", line: 2, key: "price", msg: "use a dot for decimals"},
		// A bad default quantity.
		{in: "defaults:\n  quantity: 0\n", line: 2, key: "quantity", msg: "is zero"},
		// ignore given one header instead of a list.
		{in: "ignore: Owner\n", line: 1, key: "ignore", msg: "ignore must be a list of headers"},
		// An empty item in ignore.
		{in: "ignore:\n  - Owner\n  - \"\"\n", line: 3, key: "ignore", msg: "each item must be the text of a header"},
		// A nested list in ignore.
		{in: "ignore: [[Owner]]\n", line: 1, key: "ignore", msg: "each item must be the text of a header"},
		// The same header twice, case aside.
		{in: "ignore: [Owner, owner]\n", line: 1, key: "ignore", msg: `"owner" appears again (first on line 1)`},
		// A header both mapped and ignored, whichever comes first.
		{in: "ignore: [Stage]\ncolumns:\n  outcome: stage\n", line: 1, key: "ignore", msg: `"Stage" is also mapped to outcome under columns (line 3)`},
		// A decimal separator that is neither comma nor dot.
		{in: "decimal_separator: \";\"\n", line: 1, key: "decimal_separator", msg: `decimal_separator must be "," (for 1.234,50) or "."`},
		// A decimal-dot default under decimal commas, the key written after it.
		{in: "defaults:\n  price: 1.5\ndecimal_separator: \",\"\n", line: 2, key: "price", msg: "uses a dot as the decimal mark"},
		// A section that is not a mapping.
		{in: "columns: lead\n", line: 1, key: "columns", msg: "columns must be a mapping"},
		// Not a mapping at all.
		{in: "- lead\n- outcome\n", line: 1, msg: "must be a YAML mapping"},
		// Broken YAML: the line is split out.
		{in: "columns:\n  lead: \"A\n  outcome: B\n", line: 2, msg: "not valid YAML"},
		// Bad indentation, at the line the YAML parser names.
		{in: "columns:\n  lead: A\n outcome: B\n", line: 2, msg: "not valid YAML"},
		// A second document, at its "---".
		{in: "columns:\n  lead: A\n---\nvalues:\n", line: 3, msg: "more than one YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.in))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T), want *ConfigError", err, err)
			}
			if ce.Line != tt.line || ce.Key != tt.key {
				t.Errorf("line %d key %q, want line %d key %q (%v)", ce.Line, ce.Key, tt.line, tt.key, err)
			}
			if strings.HasPrefix(tt.msg, "line ") && err.Error() != tt.msg || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want %q", err, tt.msg)
			}
		})
	}
}
