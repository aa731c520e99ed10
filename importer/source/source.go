package source

// Row is one non-header row of the input.
type Row struct {
	// Number is the row number a spreadsheet program shows for it (header row = its own number, usually 1).
	Number int
	// Cells are the row's cells as text. The slice may be reused by the next call to Next: copy what you keep.
	Cells []string
	// Numeric is nil for CSV and TSV. For XLSX, Numeric[i] is true when cell i
	// is a number cell; its text is then the number as Excel shows it (at most
	// 15 significant digits). Dates are ISO text, not numbers. Reused like Cells.
	Numeric []bool
	// Formats is nil unless some cell of an XLSX row has a number format
	// other than General. Formats[i] is then the format code of cell i when
	// it is a number ("$#,##0.00") or a date shown as ISO text
	// ("yyyy-mm-dd"), "" otherwise. Reused like Cells.
	Formats []string
}

// Reader streams the rows of one input file.
type Reader interface {
	// Header returns the header row, as read: the row Options.HeaderRow
	// names, the first row Options.IsHeader accepts, or the first non-blank row.
	Header() []string
	// HeaderRow returns the spreadsheet row number of the header.
	HeaderRow() int
	// Next returns the next row, or io.EOF after the last one. Blank rows are skipped.
	// Any other error is a file-level error (*FileError) and ends the stream.
	Next() (Row, error)
	// Warnings returns notes about how the file was read (e.g. "not valid UTF-8; read as Windows-1252").
	Warnings() []string
	// Close releases the file (and any temporary files).
	Close() error
}

// IsWorkbook reports whether r reads an XLSX workbook, whose zip parts were
// all read and checksummed when it was opened.
func IsWorkbook(r Reader) bool {
	_, ok := r.(*xlsxReader)
	return ok
}
