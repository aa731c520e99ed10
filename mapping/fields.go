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

// recognise returns the field a header names by itself, if any.
func recognise(header string) (field, bool) {
	switch headerKey(header) {
	case "lead", "leadid":
		return fLead, true
	case "leadnumber":
		return fLeadNumber, true
	case "outcome", "outcomeid":
		return fOutcome, true
	case "competitormaps", "competitors":
		return fCompetitorMaps, true
	case "product", "productid":
		return fProduct, true
	case "quantity":
		return fQuantity, true
	case "price":
		return fPrice, true
	case "currency":
		return fCurrency, true
	}
	return 0, false
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
