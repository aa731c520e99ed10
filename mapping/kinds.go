package mapping

import "errors"

// ErrorKind names the rule a row broke, so rows can be grouped by reason:
// a RowError's message embeds cell values, its kind does not. The values
// are stable snake_case words, part of the JSON summary.
type ErrorKind string

// The kinds of RowError.
const (
	KindRaggedRow         ErrorKind = "ragged_row"          // more or fewer cells than the header
	KindBadLeadID         ErrorKind = "bad_lead_id"         // the lead cell is not a lead ID
	KindEmptyLead         ErrorKind = "empty_lead"          // no lead ID or lead number
	KindBadLeadNumber     ErrorKind = "bad_lead_number"     // a lead number that cannot be looked up as written
	KindUnknownLeadNumber ErrorKind = "unknown_lead_number" // Nutshell has no lead with that number
	KindLeadMismatch      ErrorKind = "lead_mismatch"       // the lead number is another lead than the lead ID
	KindUnknownOutcome    ErrorKind = "unknown_outcome"     // no such outcome
	KindBadOutcome        ErrorKind = "bad_outcome"         // the outcome cell is malformed (another entity's ID, a bad number)
	KindUnknownCompetitor ErrorKind = "unknown_competitor"  // the lead has no such competitor map
	KindBadCompetitor     ErrorKind = "bad_competitor"      // a malformed competitor map ID
	KindUnknownProduct    ErrorKind = "unknown_product"     // no such product
	KindBadProduct        ErrorKind = "bad_product"         // a malformed product ID
	KindAmbiguousName     ErrorKind = "ambiguous_name"      // several outcomes, products or competitors have the name
	KindLookupFailed      ErrorKind = "lookup_failed"       // a name could not be resolved for another reason
	KindBadQuantity       ErrorKind = "bad_quantity"        // not a whole number from 1 up
	KindBadPrice          ErrorKind = "bad_price"           // not an amount, or its currency disagrees
	KindBadCurrency       ErrorKind = "bad_currency"        // not a three-letter code
	KindNeedsProduct      ErrorKind = "needs_product"       // a quantity, price or currency without a product
	KindReopenWithMaps    ErrorKind = "reopen_with_maps"    // reopen together with products or competitors
	KindNothingToSend     ErrorKind = "nothing_to_send"     // no outcome, competitor maps or product
	KindLeadRepeated      ErrorKind = "lead_repeated"       // the lead appeared again further down
	KindConflictingRows   ErrorKind = "conflicting_rows"    // rows of one lead ask for different outcomes or competitors
	KindRepeatedProduct   ErrorKind = "repeated_product"    // rows of one lead ask for the same product map twice
	KindSameLeadInvalid   ErrorKind = "same_lead_invalid"   // another row of the lead is invalid, so none is sent
	// KindSkipValue is no error: the mapping file maps a cell of the row to
	// skip, so the row is left alone and reported skipped.
	KindSkipValue ErrorKind = "skipped_by_value"
)

// SkipValue is the value a cell is mapped to, under values:, to leave its row alone.
const SkipValue = "skip"

// Skipped reports whether the row is one the mapping file says to leave
// alone, not an invalid one.
func (e *RowError) Skipped() bool { return e != nil && e.Kind == KindSkipValue }

// resolveKind is the kind for a Resolver's error about field f's cell.
func resolveKind(f field, err error) ErrorKind {
	var ne *NameError
	if !errors.As(err, &ne) {
		return KindLookupFailed
	}
	if ne.Ambiguous {
		return KindAmbiguousName
	}
	switch f {
	case fLeadNumber:
		return KindUnknownLeadNumber
	case fOutcome:
		return KindUnknownOutcome
	case fCompetitorMaps:
		return KindUnknownCompetitor
	case fProduct:
		return KindUnknownProduct
	}
	return KindLookupFailed
}
