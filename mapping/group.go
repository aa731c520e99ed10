package mapping

import "github.com/leadstatus/leadstatus/importer/kind"

// Group is one or more consecutive rows of the same lead, merged into one
// Update; or a single row whose lead could not be determined.
type Group struct {
	Rows   []GroupRow // in input order
	Update *Update    // nil when the group is invalid (every row then has Err)
}

// GroupRow is one input row of a Group.
type GroupRow struct {
	Number int      // the spreadsheet row number
	Cells  []string // the carried cells, one per Spec.Columns
	// Numeric is aligned with Cells: true where the input cell was a number
	// cell (XLSX), so a report can write it back as a number. nil when the
	// input has no cell types (CSV, TSV).
	Numeric []bool
	// Formats is aligned with Cells: each number or date cell's number
	// format (source.Row.Formats), so a report can keep it. nil when no
	// carried cell has one.
	Formats []string
	Err     *RowError // non-nil: this row is invalid
	Note    string    // a warning for a valid row, e.g. names that were not checked
}

// RowError says why a row is invalid.
type RowError struct {
	Kind   kind.Kind // the rule broken; never empty
	Column string    // the user's header text; "" when the problem is not one column's
	Value  string    // the cell as written, when one cell is at fault
	Reason string
	// Err is the Resolver's error behind Reason, if any (e.g. a *NameError),
	// for errors.As and errors.Is.
	Err error
}

// Error returns `column "Outcome": unknown outcome "Wonn"; ...`, or just the
// reason when no single column is at fault.
func (e *RowError) Error() string {
	if e.Column == "" {
		return e.Reason
	}
	return "column \"" + e.Column + "\": " + e.Reason
}

// Unwrap returns the Resolver's error, if any.
func (e *RowError) Unwrap() error { return e.Err }
