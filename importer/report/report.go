package report

import "strings"

// Result is what happened to a row: the import_result column.
type Result string

// The six results a row can have.
const (
	Succeeded Result = "succeeded"
	Failed    Result = "failed"
	Invalid   Result = "invalid"
	Skipped   Result = "skipped"
	DryRun    Result = "dry-run"
	NotSent   Result = "not-sent"
)

// Results lists every result in the order a summary shows them.
func Results() []Result {
	return []Result{Succeeded, DryRun, Skipped, Failed, Invalid, NotSent}
}

// field is one import_* column. The fields are listed in report order, from
// fieldRow to fieldNote: every encoder and reader goes through this list, so
// the order is written down once.
type field int

const (
	fieldRow          field = iota // import_row: the spreadsheet row number (header = 1)
	fieldResult                    // import_result
	fieldHTTPStatus                // import_http_status
	fieldError                     // import_error
	fieldAttempts                  // import_attempts
	fieldRequestID                 // import_request_id
	fieldLeadStatus                // import_lead_status
	fieldBody                      // import_body
	fieldLeadID                    // import_lead_id
	fieldStatusBefore              // import_status_before
	fieldProductMaps               // import_product_maps: the product maps the update added
	fieldNote                      // import_note, always last
	numFields
)

// name is the column's header.
func (f field) name() string {
	switch f {
	case fieldRow:
		return "import_row"
	case fieldResult:
		return "import_result"
	case fieldHTTPStatus:
		return "import_http_status"
	case fieldError:
		return "import_error"
	case fieldAttempts:
		return "import_attempts"
	case fieldRequestID:
		return "import_request_id"
	case fieldLeadStatus:
		return "import_lead_status"
	case fieldBody:
		return "import_body"
	case fieldLeadID:
		return "import_lead_id"
	case fieldStatusBefore:
		return "import_status_before"
	case fieldProductMaps:
		return "import_product_maps"
	case fieldNote:
		return "import_note"
	}
	return ""
}

// numeric reports whether the column holds a number (written as a number in
// JSONL and XLSX).
func (f field) numeric() bool {
	return f == fieldRow || f == fieldHTTPStatus || f == fieldAttempts
}

// optional reports whether a numeric column's 0 means "none" and is written
// empty (null in JSONL): no HTTP status, no attempts.
func (f field) optional() bool {
	return f == fieldHTTPStatus || f == fieldAttempts
}

// fieldNamed returns the field whose header is name (surrounding spaces
// ignored), or false.
func fieldNamed(name string) (field, bool) {
	name = strings.TrimSpace(name)
	for f := range numFields {
		if f.name() == name {
			return f, true
		}
	}
	return 0, false
}

// Columns returns the import_* columns appended after the input's own columns, in this order.
func Columns() []string {
	cols := make([]string, numFields)
	for f := range numFields {
		cols[f] = f.name()
	}
	return cols
}

// Row is one line of the report.
type Row struct {
	Number int      // import_row: the spreadsheet row number (header = 1)
	Cells  []string // the input's carried cells, one per input column
	// Numeric is aligned with Cells: true when the cell was a number in an
	// XLSX input, its text the number as Excel shows it. An XLSX report
	// writes such a cell as a number; nil (a CSV input) means all text.
	Numeric []bool
	// Formats is aligned with Cells: the number format of an XLSX input's
	// number or date cell ("$#,##0.00", "yyyy-mm-dd"), which an XLSX report
	// keeps; nil or "" for none.
	Formats      []string
	Result       Result // import_result
	HTTPStatus   int    // import_http_status; 0 = none (written empty)
	Error        string // import_error: why the row did not succeed; empty when it did
	Attempts     int    // import_attempts; 0 written empty
	RequestID    string // import_request_id (x-nutshell-request-id of the last response)
	LeadStatus   string // import_lead_status: the lead's status after the update, from the response
	Body         string // import_body: the JSON sent, or that would be sent
	LeadID       string // import_lead_id: the normalised lead ID
	StatusBefore string // import_status_before: the lead's status before the update, when known
	// ProductMaps are the IDs of the product maps the update added, joined
	// by "; " (import_product_maps); undo takes exactly these off. In an
	// undo's report, the maps it took off.
	ProductMaps string
	Note        string // import_note: what happened on the way, e.g. "succeeded on attempt 3 after HTTP 429"
}

// text returns the value of a text field.
func (r *Row) text(f field) string {
	switch f {
	case fieldResult:
		return string(r.Result)
	case fieldError:
		return r.Error
	case fieldRequestID:
		return r.RequestID
	case fieldLeadStatus:
		return r.LeadStatus
	case fieldBody:
		return r.Body
	case fieldLeadID:
		return r.LeadID
	case fieldStatusBefore:
		return r.StatusBefore
	case fieldProductMaps:
		return r.ProductMaps
	case fieldNote:
		return r.Note
	}
	return ""
}

// number returns the value of a numeric field.
func (r *Row) number(f field) int {
	switch f {
	case fieldRow:
		return r.Number
	case fieldHTTPStatus:
		return r.HTTPStatus
	case fieldAttempts:
		return r.Attempts
	}
	return 0
}

// numericCell reports whether input cell i was a number in an XLSX input.
func (r *Row) numericCell(i int) bool {
	return i < len(r.Numeric) && r.Numeric[i]
}
