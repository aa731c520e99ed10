package cli

import "testing"

func TestClipKeepsTheFirstClauseAndTheAdvice(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Short enough: as it is.
		{"short", `unknown outcome "Wonn"; known outcomes: Won, Lost`, `unknown outcome "Wonn"; known outcomes: Won, Lost`},
		// The middle goes; what is wrong and the --decimal-comma advice stay.
		{"advice kept", `column "price": "1,5" uses a comma as the decimal mark; use a dot for decimals and no other separators, like 1234.50, or pass --decimal-comma (decimal_separator: "," in a mapping file) if the file writes decimals with commas`,
			`column "price": "1,5" uses a comma as the decimal mark; … or pass --decimal-comma if the file writes decimals with commas`},
		// A list it ends with says how many more.
		{"list", `column "competitor_maps": lead 12-leads has no competitor map for "Initek"; its competitors are: Initech, Globex Corporation, Acme Corporation, Hooli, Umbrella Corporation, Soylent, Vandelay Industries`,
			`column "competitor_maps": lead 12-leads has no competitor map for "Initek"; its competitors are: Initech, Globex Corporation and 5 more`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clip(tt.in, maxReasonText); got != tt.want {
				t.Errorf("clip:\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestRowListInFileOrder(t *testing.T) {
	tests := []struct {
		rows  []int
		count int
		want  string
	}{
		{[]int{7}, 1, "row 7"},
		{[]int{340, 329, 338}, 3, "rows 329, 338, 340"},
		{[]int{9, 3, 4, 8, 5, 6, 7}, 12, "rows 3, 4, 5, 6, 7 and 7 more"},
	}
	for _, tt := range tests {
		if got := rowList(tt.rows, tt.count); got != tt.want {
			t.Errorf("rowList(%v, %d) = %q, want %q", tt.rows, tt.count, got, tt.want)
		}
	}
}
