package report

import "testing"

func TestNeutralize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},                     // empty stays empty
		{"1006-leads", "1006-leads"}, // ordinary text is untouched
		{"a-b=c", "a-b=c"},           // triggers after the first character are harmless
		{`=HYPERLINK("http://x","click")`, `'=HYPERLINK("http://x","click")`}, // formula
		{"+1+1", "'+1+1"},          // plus
		{"-2+3", "'-2+3"},          // minus
		{"@SUM(A1)", "'@SUM(A1)"},  // at sign
		{"\t=1", "'\t=1"},          // leading tab
		{"\r=1", "'\r=1"},          // leading carriage return
		{"\x00=1", "'\x00=1"},      // leading NUL (OWASP ASVS)
		{"  =1+1", "'  =1+1"},      // trigger after leading spaces
		{"\u00a0=1", "'\u00a0=1"},  // trigger after a no-break space
		{"\n=1", "'\n=1"},          // trigger after a leading newline
		{"  hello", "  hello"},     // leading spaces alone are fine
		{"a;=cmd", "a;'=cmd"},      // a semicolon-separated cell in Excel's ";" locales
		{"a; -1;@x", "a;' -1;'@x"}, // every dangerous semicolon part
		{"a;b", "a;b"},             // a harmless semicolon
		{"=a;=b", "'=a;'=b"},       // start and semicolon together
		{"'=already", "'=already"}, // a quote is not itself a trigger
	}
	for _, tt := range tests {
		if got := Neutralize(tt.in); got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnneutralize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"'=1", "=1"},                  // a quote Neutralize added is removed
		{"'1006-leads", "'1006-leads"}, // a quote before ordinary text is data
		{"'", "'"},                     // a lone quote is data
		{"1006-leads", "1006-leads"},   // nothing to undo
	}
	for _, tt := range tests {
		if got := unneutralize(tt.in); got != tt.want {
			t.Errorf("unneutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
