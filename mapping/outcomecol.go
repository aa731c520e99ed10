package mapping

import (
	"slices"
	"strconv"
	"strings"
)

// maxTallyNames bounds the distinct values counted per column: outcomes
// are few, so a column of many distinct values is not one of outcomes, and
// the tally stays small on a million rows.
const maxTallyNames = 64

// OutcomeTally counts the cells of the columns a file does not read, to
// find a column of outcomes left unread (a "Status" column beside products):
// carried unread, every lead would stay open. It is for files that read no
// outcome at all; see Spec.OutcomeTally.
type OutcomeTally struct {
	headers []string
	cols    []int
	filled  []int
	counts  []map[string]*nameCount // name key → count and first spelling
}

type nameCount struct {
	text string
	n    int
}

// OutcomeTally returns a tally of the columns that could hold outcomes
// unread, or nil when the file reads outcomes (an outcome column or a
// default) or has no such column. The mapping file's ignore: list is the
// user's word that a column is only carried.
func (s *Spec) OutcomeTally(cfg *Config) *OutcomeTally {
	if s.col[fOutcome] >= 0 || s.defaults[fOutcome] != "" {
		return nil
	}
	if cfg == nil {
		cfg = &Config{}
	}
	t := &OutcomeTally{}
	for j, i := range s.carried {
		if slices.Contains(s.col[:], i) || isIgnored(s.columns[j], cfg) {
			continue
		}
		t.headers = append(t.headers, s.columns[j])
		t.cols = append(t.cols, i)
		t.filled = append(t.filled, 0)
		t.counts = append(t.counts, map[string]*nameCount{})
	}
	if len(t.cols) == 0 {
		return nil
	}
	return t
}

// Add counts one row's cells.
func (t *OutcomeTally) Add(cells []string) {
	if t == nil {
		return
	}
	var buf []byte
	for k, i := range t.cols {
		if i >= len(cells) {
			continue
		}
		v := strings.TrimSpace(cells[i])
		if v == "" {
			continue
		}
		t.filled[k]++
		buf = appendNameKey(buf[:0], v)
		if c := t.counts[k][string(buf)]; c != nil {
			c.n++
		} else if len(t.counts[k]) < maxTallyNames {
			t.counts[k][string(buf)] = &nameCount{text: v, n: 1}
		}
	}
}

// DefaultOutcomeNames are the outcomes every account is taken to have when
// its own are not read (a dry run without --check).
func DefaultOutcomeNames() []string { return []string{"Won", "Lost", "Cancelled", "Canceled"} }

// Check refuses the first column whose filled cells are mostly outcome
// names (names of the account's outcomes, or DefaultOutcomeNames when names
// is nil). Errors are *HeaderError.
func (t *OutcomeTally) Check(names []string) error {
	if t == nil {
		return nil
	}
	if names == nil {
		names = DefaultOutcomeNames()
	}
	known := make(map[string]bool, len(names))
	for _, n := range names {
		known[nameKey(n)] = true
	}
	for k, h := range t.headers {
		var hits []*nameCount
		total := 0
		for key, c := range t.counts[k] {
			if known[key] {
				hits = append(hits, c)
				total += c.n
			}
		}
		if total == 0 || 2*total <= t.filled[k] {
			continue
		}
		slices.SortFunc(hits, func(a, b *nameCount) int {
			if a.n != b.n {
				return b.n - a.n
			}
			return strings.Compare(a.text, b.text)
		})
		shown := make([]string, 0, 3)
		for _, c := range hits[:min(len(hits), 3)] {
			shown = append(shown, c.text+" ×"+strconv.Itoa(c.n))
		}
		if len(hits) > 3 {
			shown = append(shown, "…")
		}
		q := strconv.Quote(h)
		return &HeaderError{Kind: ProblemOutcomeColumn, Columns: []string{h}, Msg: "column " + q + " holds outcome names (" + strings.Join(shown, ", ") + ") but is not read as the outcome; map it (columns: outcome: " + q + ") or keep it as a carried column (ignore: [" + q + "])"}
	}
	return nil
}
