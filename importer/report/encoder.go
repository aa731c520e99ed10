package report

// Encoder writes report rows in one format. The header is written when the
// encoder is made. An Encoder is not safe for concurrent use; Ordered
// serialises the calls.
type Encoder interface {
	// Write appends one row.
	Write(Row) error
	// Flush pushes buffered rows to the operating system (CSV, JSONL); for
	// XLSX it does nothing, since the file is only valid once Close builds it.
	Flush() error
	// Close flushes and finishes the file; it returns the first write error.
	Close() error
}
