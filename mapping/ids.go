package mapping

import (
	"math"
	"strconv"
	"strings"
)

// entity is an API entity type that a column holds IDs of.
type entity int

const (
	entLead entity = iota
	entOutcome
	entProduct
	entCompetitorMap
	entCompetitor // a competitor itself, which a competitor map links to a lead
)

// suffix is the entity type as written in API IDs ("1006-leads").
func (e entity) suffix() string {
	switch e {
	case entLead:
		return "leads"
	case entOutcome:
		return "outcomes"
	case entProduct:
		return "products"
	case entCompetitor:
		return "competitors"
	}
	return "competitorMaps"
}

// noun names the entity in messages.
func (e entity) noun() string {
	switch e {
	case entLead:
		return "lead"
	case entOutcome:
		return "outcome"
	case entProduct:
		return "product"
	case entCompetitor:
		return "competitor"
	}
	return "competitor map"
}

// isEntityType reports whether t (any case) is a Nutshell entity type, so that
// "5-contacts" reads as a contact's ID while "2-Pack" stays a name.
func isEntityType(t string) bool {
	switch strings.ToLower(t) {
	case "leads", "contacts", "accounts", "outcomes", "products", "competitors", "competitormaps",
		"users", "teams", "activities", "notes", "sources", "tags", "productmaps", "stages",
		"stagesets", "pipelines", "industries", "markets", "territories", "tasks", "events", "emails":
		return true
	}
	return false
}

// article returns "an" before a vowel and "a" otherwise.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an"
	}
	return "a"
}

// refKind says what a cell holds where an ID or a name may stand.
type refKind int

const (
	refEmpty refKind = iota
	refID            // a valid ID of the wanted entity
	refName          // not shaped like an ID: a name to resolve
	refBad           // shaped like an ID or a number, but not a valid one; see the reason
)

// parseRef classifies a trimmed cell where an ID of entity e is expected:
// "1006", "1006.0" (a numeric XLSX cell), "1006-leads" and "1006-Leads" are
// the ID 1006. Numbers that are not positive whole numbers within int64 are
// refused, never rounded.
func parseRef(s string, e entity) (uint64, refKind, string) {
	if s == "" {
		return 0, refEmpty, ""
	}
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		if len(s) > 1 && (s[0] == '-' || s[0] == '+' || s[0] == '.') && isDigit(s[1]) {
			return 0, refBad, strconv.Quote(s) + " is not a valid " + e.noun() + " ID; IDs are whole numbers from 1 up, like 1006 or 1006-" + e.suffix()
		}
		if strings.HasPrefix(s, "−") {
			return 0, refBad, strconv.Quote(s) + " is not a valid " + e.noun() + " ID; IDs are whole numbers from 1 up, like 1006 or 1006-" + e.suffix()
		}
		return 0, refName, ""
	}
	digits, rest := s[:i], s[i:]
	switch {
	case rest == "":
	case rest[0] == '-' && isLetters(rest[1:]) && len(rest) > 1:
		typ := rest[1:]
		if !strings.EqualFold(typ, e.suffix()) {
			if e != entLead && !isEntityType(typ) {
				return 0, refName, ""
			}
			return 0, refBad, strconv.Quote(s) + " is " + article(typ) + " " + typ + " ID, not " + article(e.noun()) + " " + e.noun() + " ID"
		}
	case isScientific(s):
		return 0, refBad, strconv.Quote(s) + " is a number Excel shortened to scientific notation; format the column as Number with 0 decimals or as Text and export the file again"
	case rest[0] == '.' && allDigits(rest[1:]) && len(rest) > 1:
		if strings.Trim(rest[1:], "0") != "" {
			return 0, refBad, strconv.Quote(s) + " has a fraction; " + e.noun() + " IDs are whole numbers, like 1006 or 1006-" + e.suffix()
		}
	default:
		return 0, refName, ""
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	switch {
	case err != nil || n > math.MaxInt64:
		return 0, refBad, strconv.Quote(s) + " is too large to be a " + e.noun() + " ID; check the cell"
	case n == 0:
		return 0, refBad, strconv.Quote(s) + " is not a valid " + e.noun() + " ID; IDs are whole numbers from 1 up, like 1006 or 1006-" + e.suffix()
	}
	return n, refID, ""
}

// formatID returns the canonical ID "{n}-{suffix}", reusing s when it is
// already written that way.
func formatID(s string, n uint64, e entity) string {
	suffix := e.suffix()
	if len(s) > len(suffix)+1 && s[0] != '0' && strings.HasSuffix(s, suffix) && s[len(s)-len(suffix)-1] == '-' && allDigits(s[:len(s)-len(suffix)-1]) {
		return s
	}
	var buf [40]byte
	b := strconv.AppendUint(buf[:0], n, 10)
	b = append(b, '-')
	b = append(b, suffix...)
	return string(b)
}

// idNumber returns the number of a canonical-or-not ID of entity e, or false.
func idNumber(id string, e entity) (uint64, bool) {
	n, kind, _ := parseRef(strings.TrimSpace(id), e)
	if kind != refID || !strings.Contains(id, "-") {
		return 0, false
	}
	return n, true
}

// competitorID reads a cell that holds a competitor's ID with its type
// ("1-competitors", as lookup competitors prints it). is is false for any
// other cell (a bare number in the competitor column stays a competitor map
// ID); reason is set when the ID is malformed.
func competitorID(s string) (id, reason string, is bool) {
	n, kind, reason := parseRef(s, entCompetitor)
	if kind == refName || !strings.HasSuffix(strings.ToLower(s), "-competitors") {
		return "", "", false
	}
	if kind == refBad {
		return "", reason, true
	}
	return formatID(s, n, entCompetitor), "", true
}

// sameCompetitor reports whether a catalogue's competitor ID, with or
// without its type, is the canonical id.
func sameCompetitor(catalogued, id string) bool {
	n, kind, _ := parseRef(strings.TrimSpace(catalogued), entCompetitor)
	return kind == refID && formatID("", n, entCompetitor) == id
}

// ParseID reads an ID of the Nutshell entity type typ ("leads", "products",
// "competitorMaps", ...): the API's form with the type in any case
// ("1006-leads", "1006-Leads"), or a bare whole number as a cell holds it
// ("1006", and "1006.0" from a number cell). It returns the ID in the API's
// form ("1006-leads") and its number. ok is false for anything else: another
// type's ID, a name, zero, a fraction, a number beyond int64, scientific
// notation. Surrounding spaces are ignored. It accepts what a row's ID cells
// accept, so every package reads IDs alike.
func ParseID(s, typ string) (id string, n uint64, ok bool) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	digits, rest := s[:i], s[i:]
	switch {
	case digits == "":
		return "", 0, false
	case rest == "":
	case rest[0] == '-':
		if !strings.EqualFold(rest[1:], typ) || typ == "" {
			return "", 0, false
		}
	case rest[0] == '.' && len(rest) > 1 && strings.Trim(rest[1:], "0") == "":
	default:
		return "", 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n == 0 || n > math.MaxInt64 {
		return "", 0, false
	}
	if rest != "" && rest[0] == '-' && rest[1:] == typ && s[0] != '0' {
		return s, n, true // already in the API's form: no new string
	}
	return strconv.FormatUint(n, 10) + "-" + typ, n, true
}
