package source

import "testing"

func TestFormatDateKind(t *testing.T) {
	tests := []struct {
		code string
		want dateKind
	}{
		{"yyyy-mm-dd", dateOnly},                       // ISO date
		{"dd/mm/yyyy hh:mm:ss", dateTime},              // date and time
		{"h:mm AM/PM", timeOnly},                       // clock time
		{"mm:ss", timeOnly},                            // minutes next to seconds
		{"mmm-yy", dateOnly},                           // month
		{"mmmm", dateOnly},                             // month name alone
		{"[h]:mm:ss", notDate},                         // a duration, not a date
		{"#,##0.00", notDate},                          // a number
		{"0.00E+00", notDate},                          // scientific, not an era year
		{"General", notDate},                           // general
		{`0 "days"`, notDate},                          // quoted letters
		{`#,##0\d`, notDate},                           // escaped letter
		{"[Red][<=100]0;[Blue]0", notDate},             // colour and condition
		{"[$-409]d-mmm-yyyy;@", dateOnly},              // locale prefix
		{"@", notDate},                                 // text
		{`0;"dd"`, notDate},                            // only the first section counts
		{`_(* #,##0_);_(* (#,##0);_(* "-"_)`, notDate}, // accounting padding
	}
	for _, tt := range tests {
		if got := formatDateKind(tt.code); got != tt.want {
			t.Errorf("formatDateKind(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestRenderDate(t *testing.T) {
	tests := []struct {
		raw   string
		kind  dateKind
		d1904 bool
		want  string
	}{
		{"45382", dateOnly, false, "2024-03-31"},                       // a date
		{"45382.75", dateOnly, false, "2024-03-31"},                    // date format hides the time
		{"45382.586805555555", dateTime, false, "2024-03-31 14:05:00"}, // rounding to the second
		{"0.25", timeOnly, false, "06:00:00"},                          // a time of day
		{"45382.25", timeOnly, false, "2024-03-31 06:00:00"},           // time format on a full date keeps the date
		{"43920", dateOnly, true, "2024-03-31"},                        // 1904 system
		{"-1", dateOnly, false, "-1"},                                  // negative: Excel shows ####
		{"3000000", dateOnly, false, "3000000"},                        // after 9999
		{"abc", dateOnly, false, "abc"},                                // not a number
		{"45382", notDate, false, "45382"},                             // not a date style
	}
	for _, tt := range tests {
		if got := renderDate(tt.raw, tt.kind, tt.d1904); got != tt.want {
			t.Errorf("renderDate(%q, %v, %v) = %q, want %q", tt.raw, tt.kind, tt.d1904, got, tt.want)
		}
	}
}
