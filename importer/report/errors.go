package report

import (
	"errors"
	"fmt"
	"io/fs"
)

// ErrClosed is returned by an Encoder used after Close.
var ErrClosed = errors.New("report is already closed")

// ExistsError reports that Create found a file at the report path and was not
// told to overwrite it.
type ExistsError struct {
	Path string
}

// Error says what went wrong and what to do.
func (e *ExistsError) Error() string {
	return fmt.Sprintf("report file %s already exists; pass --force to overwrite it or choose another file with --report", e.Path)
}

// Unwrap lets errors.Is(err, fs.ErrExist) match.
func (e *ExistsError) Unwrap() error { return fs.ErrExist }

// FormatError reports a report path whose extension names no known format.
type FormatError struct {
	Path string
	Ext  string
}

// Error says what went wrong and what to do.
func (e *FormatError) Error() string {
	if e.Ext == "" {
		return fmt.Sprintf("report file %s has no extension; end its name with .csv, .xlsx or .jsonl", e.Path)
	}
	return fmt.Sprintf("report file %s has extension %s, which is not a report format; use .csv, .xlsx or .jsonl", e.Path, e.Ext)
}

// WriteError reports that the report could not be written (disk full, file
// closed, device gone). The run cannot continue without its report.
type WriteError struct {
	Path string // empty when the encoder writes to a stream with no name
	Err  error
}

// Error says what went wrong and what to do.
func (e *WriteError) Error() string {
	where := "the report"
	if e.Path != "" {
		where = "report file " + e.Path
	}
	return fmt.Sprintf("cannot write %s (%v); check that the disk has free space and the file is writable", where, e.Err)
}

// Unwrap returns the underlying error.
func (e *WriteError) Unwrap() error { return e.Err }

// NotReportError reports a file given to ReadPrevious that is not a report
// this tool wrote.
type NotReportError struct {
	Path   string
	Reason string // e.g. "it has no import_row column"
}

// Error says what went wrong and what to do.
func (e *NotReportError) Error() string {
	return fmt.Sprintf("%s is not a leadstatus report: %s; pass the report file an earlier run wrote", e.Path, e.Reason)
}

// CorruptError reports a report whose content cannot be parsed somewhere
// other than a cut-off last line.
type CorruptError struct {
	Path string
	Line int // line (CSV, JSONL) or spreadsheet row (XLSX); 0 when unknown
	Err  error
}

// Error says what went wrong and what to do.
func (e *CorruptError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("report %s is damaged at line %d (%v); fix that line or start a new run without --resume", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("report %s is damaged (%v); start a new run without --resume", e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *CorruptError) Unwrap() error { return e.Err }

// UnfinishedError reports that Ordered.Close was called while a reserved
// group was never marked Done, so the groups from it on were not written.
type UnfinishedError struct {
	Seq       int // the first reserved group not Done
	Unwritten int // groups reserved but not written (Seq and every later one)
}

// Error says what went wrong and what to do.
func (e *UnfinishedError) Error() string {
	return fmt.Sprintf("report closed before row group %d was finished; %d row groups were not written", e.Seq, e.Unwritten)
}

// MetaError reports a fingerprint sidecar that is missing or unreadable.
type MetaError struct {
	Path string // the sidecar's path
	Err  error
}

// Error says what went wrong and what to do.
func (e *MetaError) Error() string {
	if errors.Is(e.Err, fs.ErrNotExist) {
		return fmt.Sprintf("fingerprint file %s is missing; --resume needs the report together with the .meta.json file written beside it", e.Path)
	}
	return fmt.Sprintf("fingerprint file %s cannot be read (%v); start a new run without --resume", e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *MetaError) Unwrap() error { return e.Err }

// KeptError reports a workbook that could not be written while every row
// is safe in its spool, a JSONL report beside it that --resume and undo
// accept: the spool is the report now.
type KeptError struct {
	Report string // the workbook that failed
	Kept   string // the spool that holds every row written
	Err    error
}

func (e *KeptError) Error() string {
	return fmt.Sprintf("%v; every row is kept in %s, which is the report now (--resume and undo accept it)", e.Err, e.Kept)
}

// Unwrap returns the underlying error.
func (e *KeptError) Unwrap() error { return e.Err }
