package mapping

import (
	"slices"
	"strings"
)

// maxSuggestions bounds how many close names an error lists.
const maxSuggestions = 5

// closest returns up to maxSuggestions names that look like name: those that
// start with it or it with them, contain it, or start with a few edits of it
// ("Gadgt" suggests "Gadget Pro").
func closest(name string, names []string) []string {
	key := []rune(nameKey(name))
	if len(key) == 0 {
		return nil
	}
	type hit struct {
		name  string
		score int
	}
	var hits []hit
	seen := map[string]bool{}
	limit := max(2, len(key)/3)
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		k := nameKey(n)
		s := string(key)
		switch {
		case k == "":
			continue
		case strings.HasPrefix(k, s) || strings.HasPrefix(s, k):
			hits = append(hits, hit{n, 0})
		case strings.Contains(k, s) || strings.Contains(s, k):
			hits = append(hits, hit{n, 1})
		default:
			if d := editDistance(key, []rune(k), limit); d <= limit {
				hits = append(hits, hit{n, 1 + d})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			return a.score - b.score
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]string, 0, min(len(hits), maxSuggestions))
	for _, h := range hits[:min(len(hits), maxSuggestions)] {
		out = append(out, h.name)
	}
	return out
}

// editDistance is the Levenshtein distance from a to the closest prefix of
// b, or limit+1 once it is certain to exceed limit.
func editDistance(a, b []rune, limit int) int {
	if len(a)-len(b) > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return slices.Min(prev)
}
