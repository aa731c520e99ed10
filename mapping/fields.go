package mapping

import "strings"

// field is one piece of a status update that a column can supply.
type field int

const (
	fLead field = iota
	fLeadNumber
	fOutcome
	fCompetitorMaps
	fProduct
	fQuantity
	fPrice
	fCurrency
	numFields
)

// fieldNames are the names the mapping file and log lines use, indexed by field.
func fieldNames() [numFields]string {
	return [numFields]string{"lead", "lead_number", "outcome", "competitor_maps", "product", "quantity", "price", "currency"}
}

func (f field) String() string { return fieldNames()[f] }

// fieldByName finds a field by its mapping-file name, compared like headers
// are (so "competitorMaps" and "competitor_maps" are one).
func fieldByName(name string) (field, bool) {
	key := headerKey(name)
	for f, n := range fieldNames() {
		if headerKey(n) == key {
			return field(f), true
		}
	}
	return 0, false
}

// knownFieldList is the list of field names for error messages.
func knownFieldList() string {
	n := fieldNames()
	return strings.Join(n[:], ", ")
}

// knownHeader is a header name a field is recognised by.
type knownHeader struct {
	name string // as messages write it
	f    field
}

// knownHeaders are the names each field is recognised by; a header matches
// one when their headerKeys are equal.
func knownHeaders() []knownHeader {
	return []knownHeader{
		{"lead", fLead}, {"lead_id", fLead},
		{"lead_number", fLeadNumber},
		{"outcome", fOutcome}, {"outcome_id", fOutcome},
		{"competitor_maps", fCompetitorMaps}, {"competitors", fCompetitorMaps},
		{"product", fProduct}, {"product_id", fProduct},
		{"quantity", fQuantity}, {"qty", fQuantity},
		{"price", fPrice},
		{"currency", fCurrency},
	}
}

// recognise returns the field a header names by itself, if any.
func recognise(header string) (field, bool) {
	key := headerKey(header)
	for _, k := range knownHeaders() {
		if headerKey(k.name) == key {
			return k.f, true
		}
	}
	return 0, false
}

// nearMiss returns the known name a header that is not one is close to:
// within edit distance 1 of a name of 4 letters or fewer, or 2 of a longer
// one, or the name with at most 2 letters added or missing ("Outcom",
// "Quantitiy", "Competitor Map"). Such a header is most likely a field
// misspelt, and carrying it unread would send rows without that field.
func nearMiss(header string) (knownHeader, bool) {
	key := []rune(headerKey(header))
	if len(key) == 0 {
		return knownHeader{}, false
	}
	best, bestDist := knownHeader{}, -1
	for _, k := range knownHeaders() {
		name := []rune(headerKey(k.name))
		limit := 2
		if len(name) <= 4 {
			limit = 1
		}
		d := levenshtein(key, name)
		if d > limit && !(abs(len(key)-len(name)) <= 2 && (isSubsequence(name, key) || isSubsequence(key, name))) {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	return best, bestDist >= 0
}

// levenshtein is the edit distance between a and b.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// isSubsequence reports whether short's letters appear in long in order.
func isSubsequence(short, long []rune) bool {
	i := 0
	for _, r := range long {
		if i < len(short) && short[i] == r {
			i++
		}
	}
	return i == len(short)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// headerKey folds a header for recognition: case-insensitive, ignoring
// spaces, underscores and dashes, so "Lead ID", "lead_id" and "LEAD-ID" agree.
func headerKey(h string) string {
	h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark left on the first header
	var b strings.Builder
	b.Grow(len(h))
	for _, r := range strings.ToLower(h) {
		switch r {
		case ' ', '_', '-', '\t', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isImportColumn reports whether a header belongs to a report fed back as
// input; such columns are neither mapped nor carried.
func isImportColumn(h string) bool {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	return len(h) >= len("import_") && strings.EqualFold(h[:len("import_")], "import_")
}
