package report

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

// Columns returns the import_* columns appended after the input's own columns, in this order.
func Columns() []string {
	return []string{
		"import_row",
		"import_result",
		"import_http_status",
		"import_error",
		"import_attempts",
		"import_request_id",
		"import_lead_status",
		"import_body",
		"import_lead_id",
		"import_status_before",
	}
}

// Row is one line of the report.
type Row struct {
	Number       int      // import_row: the spreadsheet row number (header = 1)
	Cells        []string // the input's carried cells, one per input column
	Result       Result   // import_result
	HTTPStatus   int      // import_http_status; 0 = none (written empty)
	Error        string   // import_error: one human sentence, or a note
	Attempts     int      // import_attempts; 0 written empty
	RequestID    string   // import_request_id (x-nutshell-request-id of the last response)
	LeadStatus   string   // import_lead_status: the lead's status after the update, from the response
	Body         string   // import_body: the JSON sent, or that would be sent
	LeadID       string   // import_lead_id: the normalised lead ID
	StatusBefore string   // import_status_before: the lead's status before the update, when known
}
