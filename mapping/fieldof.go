package mapping

// FieldOf returns the field that column i of the header given to NewSpec
// supplies ("lead", "outcome", …), or "" for a column that is only carried
// (or dropped, like import_* columns): what a front end shows beside each column.
func (s *Spec) FieldOf(i int) string {
	for f, c := range s.col {
		if c == i && i >= 0 {
			return field(f).String()
		}
	}
	return ""
}

// Sends reports whether some column or default supplies what a row sends
// (an outcome, competitor maps or a product): without one, every row is
// "nothing to send".
func (s *Spec) Sends() bool {
	for _, f := range [...]field{fOutcome, fCompetitorMaps, fProduct} {
		if s.col[f] >= 0 || s.defaults[f] != "" {
			return true
		}
	}
	return false
}
