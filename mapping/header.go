package mapping

import (
	"strconv"
	"strings"
)

// IsHeader returns the test that tells a file's header row from the rows
// above it (a title, a date, a blank line): the header names a lead column,
// by a standard name (lead_id, lead_number, ...) or by the header cfg maps
// lead or lead_number to. cfg may be nil.
func IsHeader(cfg *Config) func(cells []string) bool {
	var mapped []string
	if cfg != nil {
		for _, f := range [...]field{fLead, fLeadNumber} {
			if h := cfg.columns[f].header; h != "" {
				mapped = append(mapped, h)
			}
		}
	}
	return func(cells []string) bool {
		for _, c := range cells {
			c = strings.TrimSpace(c)
			if c == "" {
				continue
			}
			if f, ok := recognise(c); ok && (f == fLead || f == fLeadNumber) {
				return true
			}
			for _, h := range mapped {
				if strings.EqualFold(c, h) {
					return true
				}
			}
		}
		return false
	}
}

// HeaderWant and HeaderFix say what IsHeader looks for and how to make a
// row qualify, for the message when no row near the top does.
func HeaderWant(cfg *Config) string {
	if h := mappedLead(cfg); h != "" {
		return "the lead column " + strconv.Quote(h) + " the mapping file names"
	}
	return "a lead column"
}

// HeaderFix: see HeaderWant.
func HeaderFix(cfg *Config) string {
	if h := mappedLead(cfg); h != "" {
		return "correct the header under columns: in the mapping file"
	}
	return "name the column of lead IDs \"lead_id\" (or of lead numbers \"lead_number\"), or map yours with a --mapping file (columns: lead: \"Your Header\")"
}

func mappedLead(cfg *Config) string {
	if cfg == nil {
		return ""
	}
	if h := cfg.columns[fLead].header; h != "" {
		return h
	}
	return cfg.columns[fLeadNumber].header
}

// HeaderRow is the row the mapping file's header_row: names; 0 = find it.
func (c *Config) HeaderRow() int {
	if c == nil {
		return 0
	}
	return c.headerRow
}
