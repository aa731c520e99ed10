package mapping

import (
	"errors"

	"github.com/leadstatus/leadstatus/importer/kind"
)

// SkipValue is the value a cell is mapped to, under values:, to leave its row alone.
const SkipValue = "skip"

// Skipped reports whether the row is one the mapping file says to leave
// alone, not an invalid one.
func (e *RowError) Skipped() bool { return e != nil && e.Kind == kind.SkippedByValue }

// resolveKind is the kind for a Resolver's error about field f's cell.
func resolveKind(f field, err error) kind.Kind {
	var ne *NameError
	if !errors.As(err, &ne) {
		return kind.LookupFailed
	}
	if ne.Ambiguous {
		return kind.AmbiguousName
	}
	switch f {
	case fLeadNumber:
		return kind.UnknownLeadNumber
	case fOutcome:
		return kind.UnknownOutcome
	case fCompetitorMaps:
		return kind.UnknownCompetitor
	case fProduct:
		return kind.UnknownProduct
	}
	return kind.LookupFailed
}
