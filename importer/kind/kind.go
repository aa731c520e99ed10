// Package kind is the one list of the reasons a row can end as it did: why it
// is invalid, failed, was not sent or was skipped. A kind groups rows in the
// summary; its text is part of the JSON summary and the XLSX report, so a
// kind's text never changes. The table in facts says, for each kind, how it is
// named to people and whether a row skipped for it counts as done.
//
// The package imports nothing, so every stage and mapping can use it.
package kind

import (
	"strconv"
	"strings"
)

// Kind is the reason a row ended as it did, as a stable snake_case word.
type Kind string

// Rows the input makes invalid, found while reading and grouping the file.
const (
	RaggedRow         Kind = "ragged_row"          // more or fewer cells than the header
	BadLeadID         Kind = "bad_lead_id"         // the lead cell is not a lead ID
	EmptyLead         Kind = "empty_lead"          // no lead ID or lead number
	BadLeadNumber     Kind = "bad_lead_number"     // a lead number that cannot be looked up as written
	UnknownLeadNumber Kind = "unknown_lead_number" // Nutshell has no lead with that number
	LeadMismatch      Kind = "lead_mismatch"       // the lead number is another lead than the lead ID
	UnknownOutcome    Kind = "unknown_outcome"     // no such outcome
	BadOutcome        Kind = "bad_outcome"         // the outcome cell is malformed (another entity's ID, a bad number)
	UnknownCompetitor Kind = "unknown_competitor"  // the lead has no such competitor map
	BadCompetitor     Kind = "bad_competitor"      // a malformed competitor map ID
	UnknownProduct    Kind = "unknown_product"     // no such product
	BadProduct        Kind = "bad_product"         // a malformed product ID
	AmbiguousName     Kind = "ambiguous_name"      // several outcomes, products or competitors have the name
	LookupFailed      Kind = "lookup_failed"       // a name could not be resolved for another reason
	BadQuantity       Kind = "bad_quantity"        // not a whole number from 1 up
	BadPrice          Kind = "bad_price"           // not an amount, or its currency disagrees
	BadCurrency       Kind = "bad_currency"        // not a three-letter code
	NeedsProduct      Kind = "needs_product"       // a quantity, price or currency without a product
	ReopenWithMaps    Kind = "reopen_with_maps"    // reopen together with products or competitors
	NothingToSend     Kind = "nothing_to_send"     // no outcome, competitor maps or product
	LeadRepeated      Kind = "lead_repeated"       // the lead appeared again further down
	ConflictingRows   Kind = "conflicting_rows"    // rows of one lead ask for different outcomes or competitors
	RepeatedProduct   Kind = "repeated_product"    // rows of one lead ask for the same product map twice
	SameLeadInvalid   Kind = "same_lead_invalid"   // another row of the lead is invalid, so none is sent
	// SkippedByValue is no error: the mapping file maps a cell of the row to
	// skip, so the row is left alone.
	SkippedByValue Kind = "skipped_by_value"
)

// Rows settled by what the reads show of their leads and maps.
const (
	AlreadyDone    Kind = "already_done"                 // the lead is already as asked
	SkipClosed     Kind = "closed_skip_closed"           // closed before the run, and --skip-closed was given
	Closed         Kind = "closed"                       // closed before the run; not changed
	LeadMissing    Kind = "lead_missing"                 // no such lead
	LeadDeleted    Kind = "lead_deleted"                 // the lead was deleted
	LeadUnread     Kind = "lead_not_read"                // the read of the lead failed
	MapMissing     Kind = "competitor_map_missing"       // no such competitor map
	MapOfOtherLead Kind = "competitor_map_of_other_lead" // the competitor map belongs to another lead
)

// Rows as sending left them, and why a run stopped sending.
const (
	Stopped       Kind = "stopped"               // the run was interrupted
	GaveUp        Kind = "gave_up"               // retries ran out
	MayBeApplied  Kind = "may_have_been_applied" // the update failed in a way that may have applied it
	Credentials   Kind = "credentials"           // Nutshell refused the API key
	EarlierUnsure Kind = "earlier_run_unsure"    // an earlier run may have applied it and a read cannot tell
	Limit         Kind = "limit"                 // --limit reached
	MaxFailures   Kind = "max_failures"          // --max-failures reached
	Outage        Kind = "outage"                // Nutshell kept failing across every pause
	InputError    Kind = "input_error"           // the input could not be read on
	ReportError   Kind = "report_error"          // the report could not be written
)

// refused is the start of the kinds of definite refusals: refused_422.
const refused = "refused_"

// Refused is the kind of an update Nutshell definitely refused with an HTTP
// status, one kind per status: "refused_422".
func Refused(status int) Kind { return Kind(refused + strconv.Itoa(status)) }

// Rows a resumed run finds done by the earlier run.
const (
	SucceededEarlier Kind = "succeeded_earlier" // the earlier report shows it succeeded
)

// Rows of an undo: why a row of the import's report was not undone.
const (
	ChangedSince       Kind = "changed_since_import"       // the lead was changed after the import; left alone
	NoLead             Kind = "no_lead"                    // the report's row names no lead
	NotSentByImport    Kind = "not_sent_by_import"         // the import did not send it
	InvalidInImport    Kind = "invalid_in_import"          // the row was invalid in the import
	DoneByEarlier      Kind = "done_by_earlier_report"     // a resumed import skipped it as done before
	SkippedByImport    Kind = "skipped_by_import"          // the import skipped it
	FailedInImport     Kind = "failed_in_import"           // the import's update failed
	DryRunImport       Kind = "dry_run_import"             // the report is a dry run's
	ClosedBefore       Kind = "closed_before_import"       // the lead was closed before the import
	StatusBeforeUnread Kind = "status_before_unknown"      // the report does not say the status before
	LeftOpen           Kind = "left_open_by_import"        // the import left the lead open
	NotApplied         Kind = "import_did_not_land"        // the import's uncertain update did not land
	NothingLeft        Kind = "nothing_left_to_undo"       // everything the import did is already undone
	LeadGone           Kind = "lead_gone"                  // the lead no longer exists
	MapsNotTakenOff    Kind = "product_maps_not_taken_off" // the lead was reopened but its product maps stayed
)

// facts is the table of kinds: how each is named to people, and whether a
// row skipped for it counts as done (needs nothing more, so it does not make
// an import exit 1). known is false for a text that is no kind of the list.
func (k Kind) facts() (label string, done, known bool) {
	switch k {
	case RaggedRow:
		return "ragged row", false, true
	case BadLeadID:
		return "bad lead id", false, true
	case EmptyLead:
		return "empty lead", false, true
	case BadLeadNumber:
		return "bad lead number", false, true
	case UnknownLeadNumber:
		return "unknown lead number", false, true
	case LeadMismatch:
		return "lead mismatch", false, true
	case UnknownOutcome:
		return "unknown outcome", false, true
	case BadOutcome:
		return "bad outcome", false, true
	case UnknownCompetitor:
		return "unknown competitor", false, true
	case BadCompetitor:
		return "bad competitor", false, true
	case UnknownProduct:
		return "unknown product", false, true
	case BadProduct:
		return "bad product", false, true
	case AmbiguousName:
		return "ambiguous name", false, true
	case LookupFailed:
		return "lookup failed", false, true
	case BadQuantity:
		return "bad quantity", false, true
	case BadPrice:
		return "bad price", false, true
	case BadCurrency:
		return "bad currency", false, true
	case NeedsProduct:
		return "needs product", false, true
	case ReopenWithMaps:
		return "reopen with maps", false, true
	case NothingToSend:
		return "nothing to send", false, true
	case LeadRepeated:
		return "lead repeated", false, true
	case ConflictingRows:
		return "conflicting rows", false, true
	case RepeatedProduct:
		return "repeated product", false, true
	case SameLeadInvalid:
		return "same lead invalid", false, true
	case SkippedByValue:
		return "skipped by value", true, true

	case AlreadyDone:
		return "already done", true, true
	case SkipClosed:
		return "closed skip closed", true, true
	case Closed:
		return "closed", false, true
	case LeadMissing:
		return "lead missing", false, true
	case LeadDeleted:
		return "lead deleted", false, true
	case LeadUnread:
		return "lead not read", false, true
	case MapMissing:
		return "competitor map missing", false, true
	case MapOfOtherLead:
		return "competitor map of other lead", false, true

	case Stopped:
		return "stopped", false, true
	case GaveUp:
		return "gave up", false, true
	case MayBeApplied:
		return "may have been applied", false, true
	case Credentials:
		return "credentials", false, true
	case EarlierUnsure:
		return "earlier run unsure", false, true
	case Limit:
		return "limit", false, true
	case MaxFailures:
		return "max failures", false, true
	case Outage:
		return "outage", false, true
	case InputError:
		return "input error", false, true
	case ReportError:
		return "report error", false, true

	case SucceededEarlier:
		return "succeeded earlier", true, true

	case ChangedSince:
		return "changed since import", false, true
	case NoLead:
		return "no lead", false, true
	case NotSentByImport:
		return "not sent by import", false, true
	case InvalidInImport:
		return "invalid in import", false, true
	case DoneByEarlier:
		return "done by earlier report", false, true
	case SkippedByImport:
		return "skipped by import", false, true
	case FailedInImport:
		return "failed in import", false, true
	case DryRunImport:
		return "dry run import", false, true
	case ClosedBefore:
		return "closed before import", false, true
	case StatusBeforeUnread:
		return "status before unknown", false, true
	case LeftOpen:
		return "left open by import", false, true
	case NotApplied:
		return "import did not land", false, true
	case NothingLeft:
		return "nothing left to undo", true, true
	case LeadGone:
		return "lead gone", false, true
	case MapsNotTakenOff:
		return "product maps not taken off", false, true
	}
	if status, ok := strings.CutPrefix(string(k), refused); ok {
		return "refused " + status, false, true
	}
	return "", false, false
}

// Label is how the kind is named to people: "unknown outcome". A text that
// is no kind of the list (a row's result, when it has no kind) reads with
// spaces for underscores.
func (k Kind) Label() string {
	if label, _, known := k.facts(); known {
		return label
	}
	return strings.ReplaceAll(string(k), "_", " ")
}

// Done reports whether a row skipped for this kind needs nothing more: it is
// as asked, or the user said to leave it alone. Such rows do not fail an import.
func (k Kind) Done() bool {
	_, done, _ := k.facts()
	return done
}
