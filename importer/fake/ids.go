package fake

import "strconv"

// Entity types, as they appear in API IDs ("12-leads").
const (
	entityLeads          = "leads"
	entityOutcomes       = "outcomes"
	entityProducts       = "products"
	entityCompetitors    = "competitors"
	entityCompetitorMaps = "competitorMaps"
	entityProductMaps    = "productMaps"
)

// parseID reads an API ID of the given entity type, "12-leads" or a bare
// "12". Signs, leading zeros, spaces and other suffixes are not IDs, as a
// strict server would see them.
func parseID(s, entity string) (int64, bool) {
	digits := s
	if n := len(s) - len(entity) - 1; n > 0 && s[n] == '-' && s[n+1:] == entity {
		digits = s[:n]
	}
	if digits == "" || digits[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// formatID is the full form of an API ID.
func formatID(n int64, entity string) string {
	return strconv.FormatInt(n, 10) + "-" + entity
}
