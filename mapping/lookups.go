package mapping

import (
	"strconv"
	"strings"
)

// Lookups are the values of one row that only Nutshell can resolve: what a
// caller fetches (lead numbers, the product catalogue, the lead's competitor
// maps) before the row is mapped, so mapping itself does no I/O.
type Lookups struct {
	Lead        string   // the lead cell after the mapping file's values: an ID or bare number
	LeadNumber  string   // the lead-number cell
	Product     string   // the product cell: an ID or a name
	Competitors []string // the competitor cells: IDs or names
}

// Lookups returns what cells would ask the Resolver for.
func (s *Spec) Lookups(cells []string) Lookups {
	var l Lookups
	l.Lead = s.cellValue(cells, fLead)
	l.LeadNumber = s.cellValue(cells, fLeadNumber)
	if n, kind, _ := parseRef(l.LeadNumber, entLead); kind == refID && !allDigits(l.LeadNumber) && !strings.Contains(l.LeadNumber, "-") {
		l.LeadNumber = strconv.FormatUint(n, 10) // "1001.0" from a numeric XLSX cell, as the Grouper reads it
	}
	l.Product = s.cellValue(cells, fProduct)
	if v := s.cellValue(cells, fCompetitorMaps); v != "" {
		for _, item := range strings.Split(v, s.sep) {
			if item = strings.TrimSpace(item); item != "" {
				l.Competitors = append(l.Competitors, item)
			}
		}
	}
	return l
}

// cellValue is a field's trimmed cell through the mapping file's values, or
// its default.
func (s *Spec) cellValue(cells []string, f field) string {
	v := ""
	if i := s.col[f]; i >= 0 && i < len(cells) {
		v = strings.TrimSpace(cells[i])
	}
	if m := s.values[f]; m != nil && v != "" {
		if mv, ok := m[string(appendNameKey(nil, v))]; ok {
			v = mv
		}
	}
	if v == "" {
		return s.defaults[f]
	}
	return v
}
