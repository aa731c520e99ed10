package bench

import (
	"fmt"
	"strings"
)

// Row is one line of the results table.
type Row struct {
	Section string // "local cost", "throughput", ...
	Measure string
	Value   string
	Target  string // "" when the figure has no target
	Verdict string // "met", "NOT met ...", or "" when there is no target
}

// Table collects the suite's results in the order they are measured.
type Table struct {
	rows []Row
}

// Add appends a row.
func (t *Table) Add(r Row) { t.rows = append(t.rows, r) }

// Markdown renders the table; pipes inside cells are escaped so a value can
// never break the table.
func (t *Table) Markdown() string {
	var b strings.Builder
	b.WriteString("| section | measure | value | target | met? |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, r := range t.rows {
		cells := []string{r.Section, r.Measure, r.Value, orDash(r.Target), orDash(r.Verdict)}
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// AtLeast judges a figure that must reach target; a miss says by how much,
// relative to the target.
func AtLeast(v, target float64) string {
	if v >= target {
		return "met"
	}
	return fmt.Sprintf("NOT met: %.1f%% short", 100*(target-v)/target)
}

// AtMost judges a figure that must not exceed limit; a miss says by how
// much, relative to the limit.
func AtMost(v, limit float64) string {
	if v <= limit {
		return "met"
	}
	return fmt.Sprintf("NOT met: %.1f%% over", 100*(v-limit)/limit)
}

// Within judges a figure that must stay within tol (a fraction) of want.
func Within(v, want, tol float64) string {
	if want == 0 {
		return AtMost(v, 0)
	}
	dev := (v - want) / want
	if dev < 0 {
		dev = -dev
	}
	if dev <= tol {
		return "met"
	}
	return fmt.Sprintf("NOT met: off by %.1f%%", 100*dev)
}
