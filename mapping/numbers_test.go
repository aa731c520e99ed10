package mapping

import (
	"strings"
	"testing"
)

// TestParsePrice covers the ways a spreadsheet shows an amount, and the ones
// that must be refused rather than misread.
func TestParsePrice(t *testing.T) {
	tests := []struct {
		in       string
		comma    bool // read with decimal commas
		amount   string
		currency string // ISO code, dollar, or ""
		err      string // part of the reason when refused
	}{
		// A whole number gets two decimals.
		{in: "100", amount: "100.00"},
		// One decimal is padded.
		{in: "100.5", amount: "100.50"},
		// More than two decimals are kept, not rounded.
		{in: "0.125", amount: "0.125"},
		// Already in the form sent.
		{in: "49.99", amount: "49.99"},
		// Leading zeros dropped.
		{in: "007.50", amount: "7.50"},
		// A leading dot.
		{in: ".5", amount: "0.50"},
		// Zero is a price.
		{in: "0", amount: "0.00"},
		// Comma thousands grouping with a dot decimal.
		{in: "1,234.50", amount: "1234.50"},
		// Several comma groups are unambiguous.
		{in: "1,234,567", amount: "1234567.00"},
		// A dollar sign names no single currency.
		{in: "$1,234.50", amount: "1234.50", currency: dollar},
		// A dollar sign after a minus is still negative.
		{in: "-$5", err: "is negative"},
		// Euro sign before, with a space.
		{in: "€ 99", amount: "99.00", currency: "EUR"},
		// Euro sign after.
		{in: "99 €", amount: "99.00", currency: "EUR"},
		// Pound sign.
		{in: "£12", amount: "12.00", currency: "GBP"},
		// Yen sign.
		{in: "¥500", amount: "500.00", currency: "JPY"},
		// A prefixed dollar that names its currency.
		{in: "C$20", amount: "20.00", currency: "CAD"},
		// An ISO code before the number.
		{in: "USD 1,000.00", amount: "1000.00", currency: "USD"},
		// An ISO code after, in lower case.
		{in: "250 eur", amount: "250.00", currency: "EUR"},
		// Space grouping.
		{in: "1 234.50", amount: "1234.50"},
		// Non-breaking space grouping.
		{in: "1\u00a0234.50", amount: "1234.50"},
		// Narrow no-break (thin) space grouping.
		{in: "1\u202f234\u202f567.50", amount: "1234567.50"},
		// A decimal comma.
		{in: "1,5", err: "use a dot for decimals"},
		// The refusal names the way to read decimal commas.
		{in: "1,5", err: "pass --decimal-comma"},
		// A decimal comma with dot grouping.
		{in: "1.234,50", err: "use a dot for decimals"},
		// A decimal comma with space grouping.
		{in: "1 234,50", err: "use a dot for decimals"},
		// One comma and three digits: thousands or decimals?
		{in: "1,234", err: "is ambiguous"},

		// With decimal commas: dots group, the comma marks decimals.
		{in: "1.234,50", comma: true, amount: "1234.50"},
		// A lone decimal comma.
		{in: "1,5", comma: true, amount: "1.50"},
		// Space grouping with a decimal comma.
		{in: "1 234,50", comma: true, amount: "1234.50"},
		// With a currency sign after.
		{in: "1.234,50 €", comma: true, amount: "1234.50", currency: "EUR"},
		// One comma and three digits is a decimal comma here.
		{in: "1,234", comma: true, amount: "1.234"},
		// Several dot groups.
		{in: "1.234.567", comma: true, amount: "1234567.00"},
		// A whole number is the same either way.
		{in: "100", comma: true, amount: "100.00"},
		// A decimal dot is refused, naming the setting.
		{in: "1.5", comma: true, err: "uses a dot as the decimal mark, but the file is read with decimal commas"},
		// Dot decimals with comma grouping are refused too.
		{in: "1,234.50", comma: true, err: "uses a dot as the decimal mark"},
		// One dot and three digits could be either.
		{in: "1.234", comma: true, err: "is ambiguous"},
		// Misplaced dot grouping, described with dots.
		{in: "12.34,5", comma: true, err: "misplaced thousands separators; write it like 1.234,50"},
		// Dots and spaces mixed.
		{in: "1 234.567,00", comma: true, err: "mixes dots and spaces"},
		// Negative with a minus.
		{in: "-5", err: "is negative"},
		// Negative in accounting parentheses.
		{in: "(5)", err: "is negative"},
		// Words.
		{in: "abc", err: "is not an amount"},
		// Letters that are no currency code are not taken for one.
		{in: "abc1", err: "is not an amount"},
		// Nor after the number.
		{in: "5 pcs", err: "is not an amount"},
		// A bare currency code.
		{in: "USD", err: "is not an amount"},
		// Two dots.
		{in: "1.2.3", err: "is not an amount"},
		// Scientific notation.
		{in: "1e3", err: "scientific notation"},
		// Misplaced grouping.
		{in: "12,34.5", err: "misplaced thousands separators"},
		// Commas and spaces mixed.
		{in: "1 234,567.00", err: "mixes commas and spaces"},
		// Two currency marks.
		{in: "$5 USD", err: "two currency marks"},
		// A trailing dot with nothing after it.
		{in: "5.", err: "is not an amount"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, reason := parsePrice(tt.in, tt.comma)
			if tt.err != "" {
				if !strings.Contains(reason, tt.err) {
					t.Fatalf("parsePrice(%q) = %+v, %q; want a reason containing %q", tt.in, p, reason, tt.err)
				}
				return
			}
			if reason != "" || p.amount != tt.amount || p.currency != tt.currency {
				t.Fatalf("parsePrice(%q) = %+v, %q; want amount %q currency %q", tt.in, p, reason, tt.amount, tt.currency)
			}
		})
	}
}

// TestParseQuantityDecimalComma checks quantities read with decimal commas.
func TestParseQuantityDecimalComma(t *testing.T) {
	tests := []struct {
		in    string
		comma bool
		want  int
		err   string
	}{
		// A whole number with a zero decimal after a comma.
		{in: "2,0", comma: true, want: 2},
		// Dot grouping.
		{in: "1.000", comma: true, want: 1000},
		// A fraction after a comma is still a fraction.
		{in: "2,5", comma: true, err: `"2,5" is not a whole number`},
		// Without decimal commas, "2,0" is misgrouped.
		{in: "2,0", err: `"2,0" is not a quantity`},
		// Without decimal commas, "1.000" is one.
		{in: "1.000", want: 1},
	}
	for _, tt := range tests {
		got, reason := parseQuantity(tt.in, tt.comma)
		if tt.err != "" {
			if !strings.Contains(reason, tt.err) {
				t.Errorf("parseQuantity(%q, %v) = %d, %q; want %q", tt.in, tt.comma, got, reason, tt.err)
			}
			continue
		}
		if reason != "" || got != tt.want {
			t.Errorf("parseQuantity(%q, %v) = %d, %q; want %d", tt.in, tt.comma, got, reason, tt.want)
		}
	}
}
