package bench

import (
	"strings"
	"testing"
)

func TestVerdicts(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"AtLeast reached", AtLeast(0.97, 0.97), "met"},                         // the bound itself passes
		{"AtLeast missed", AtLeast(0.86, 0.97), "NOT met: 11.3% short"},         // says by how much
		{"AtMost kept", AtMost(21, 21), "met"},                                  // the bound itself passes
		{"AtMost exceeded", AtMost(0.046, 0.03), "NOT met: 53.3% over"},         // relative to the limit
		{"Within above", Within(20.3, 20, 0.02), "met"},                         // 1.5% off
		{"Within below", Within(19.7, 20, 0.02), "met"},                         // 1.5% under
		{"Within below missed", Within(19.5, 20, 0.02), "NOT met: off by 2.5%"}, // 2.5% under
		{"Within missed", Within(28.4, 21.7, 0.20), "NOT met: off by 30.9%"},    // flat-memory miss
		{"Within zero want", Within(0, 0, 0.1), "met"},                          // no division by zero
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	var tb Table
	tb.Add(Row{Section: "s", Measure: "a | b", Value: "1"})
	tb.Add(Row{Section: "s", Measure: "m", Value: "2", Target: "≥ 1", Verdict: "met"})
	got := tb.Markdown()
	want := "| section | measure | value | target | met? |\n" +
		"| --- | --- | --- | --- | --- |\n" +
		`| s | a \| b | 1 | — | — |` + "\n" +
		"| s | m | 2 | ≥ 1 | met |\n"
	if got != want {
		t.Errorf("Markdown() =\n%s\nwant\n%s", got, want)
	}
	if n := strings.Count(got, "\n"); n != 4 {
		t.Errorf("%d lines, want 4", n)
	}
}
