package bench

import (
	"strings"
	"testing"
)

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		cents int64
		group bool
		want  string
	}{
		{50, true, "0.50"},                    // under a unit keeps its leading zero
		{10000, true, "100.00"},               // three digits need no separator
		{125050, true, "1,250.50"},            // grouped as people type prices
		{125050, false, "1250.50"},            // ungrouped as the API takes amounts
		{123456705, true, "1,234,567.05"},     // several groups, cents with a zero
		{100000000, false, "1000000.00"},      // no separator at all when ungrouped
		{99999999, true, "999,999.99"},        // exactly two groups
		{1000, true, "10.00"},                 // short whole part
		{100000, true, "1,000.00"},            // a group boundary
		{12345678901, true, "123,456,789.01"}, // three full groups
	}
	for _, tt := range tests {
		if got := formatMoney(tt.cents, tt.group); got != tt.want {
			t.Errorf("formatMoney(%d, %v) = %q, want %q", tt.cents, tt.group, got, tt.want)
		}
	}
}

// TestRowsAreRealistic checks what the benchmark's realism rests on: distinct
// lead IDs in order, outcome names rather than IDs, a mix of outcomes, and a
// share of rows with products.
func TestRowsAreRealistic(t *testing.T) {
	const n = 10_000
	outcomes := map[string]int{}
	products := 0
	for i := 1; i <= n; i++ {
		l := LeadAt(i)
		if l.ID != i {
			t.Fatalf("LeadAt(%d).ID = %d", i, l.ID)
		}
		outcomes[l.Outcome]++
		if l.Product > 0 {
			products++
			if l.Quantity < 1 || l.Cents <= 0 || l.Outcome != "Won" {
				t.Fatalf("row %d: product %d with quantity %d, %d cents, outcome %s", i, l.Product, l.Quantity, l.Cents, l.Outcome)
			}
		}
		if cells := l.Cells(); len(cells) != len(Columns()) {
			t.Fatalf("row %d has %d cells, header %d", i, len(cells), len(Columns()))
		}
	}
	for _, name := range []string{"Won", "Lost", "Cancelled"} {
		if outcomes[name] < n/20 {
			t.Errorf("%d rows are %s, want a fair share of %d", outcomes[name], name, n)
		}
	}
	if len(outcomes) != 3 {
		t.Errorf("outcomes %v, want only Won, Lost and Cancelled", outcomes)
	}
	if products < n/10 || products > n/2 {
		t.Errorf("%d of %d rows have a product, want between a tenth and a half", products, n)
	}
	if got := LeadAt(42); got != LeadAt(42) || !strings.Contains(got.Deal, "42") {
		t.Errorf("LeadAt(42) = %+v: rows must be reproducible and name their lead", got)
	}
}
