package fake

import "testing"

func TestLeadNumberIsABijectionOntoSixDigits(t *testing.T) {
	const n = 900000
	seen := make([]bool, n)
	for id := 1; id <= n; id++ {
		num := LeadNumber(id)
		if num < 100000 || num > 999999 {
			t.Fatalf("LeadNumber(%d) = %d, want 100000–999999", id, num)
		}
		if seen[num-100000] {
			t.Fatalf("LeadNumber(%d) = %d, a number already taken", id, num)
		}
		seen[num-100000] = true
	}
}

func TestLeadNumberRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		id   int
	}{
		{"first lead", 1},                             // smallest ID
		{"a typical lead", 1006},                      // the reference's example
		{"last six-digit number", 900000},             // end of the first block
		{"first seven-digit number", 900001},          // start of the next block
		{"ten million leads", 10_000_000},             // the largest load test
		{"far beyond any account", 5_000_000_000_000}, // still a bijection
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			num := LeadNumber(tt.id)
			if num == 0 {
				t.Fatalf("LeadNumber(%d) = 0", tt.id)
			}
			got, ok := LeadForNumber(num)
			if !ok || got != tt.id {
				t.Errorf("LeadForNumber(LeadNumber(%d) = %d) = %d, %v", tt.id, num, got, ok)
			}
		})
	}
}

func TestLeadNumberIsNotTheID(t *testing.T) {
	// A user who guesses number = ID, or a fixed offset, must be wrong.
	same, offset := 0, 0
	for id := 1; id <= 1000; id++ {
		if LeadNumber(id) == int64(id) {
			same++
		}
		if LeadNumber(id+1)-LeadNumber(id) == LeadNumber(2)-LeadNumber(1) {
			offset++
		}
	}
	if same > 0 || offset > 10 {
		t.Errorf("lead numbers follow IDs: %d equal, %d with the same step", same, offset)
	}
}

func TestLeadForNumberOutOfRange(t *testing.T) {
	tests := []struct {
		name   string
		number int64
	}{
		{"zero", 0},            // no lead has number 0
		{"five digits", 99999}, // numbers start at 100000
		{"negative", -123456},  // never a number
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if id, ok := LeadForNumber(tt.number); ok {
				t.Errorf("LeadForNumber(%d) = %d, true; want false", tt.number, id)
			}
		})
	}
	if LeadNumber(0) != 0 || LeadNumber(-5) != 0 {
		t.Errorf("LeadNumber of a non-positive ID is not 0")
	}
}
