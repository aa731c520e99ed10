package source

import (
	"errors"
	"strconv"
	"strings"
)

// Kinds of file-level problems. A *FileError wraps one of them, so callers can
// test with errors.Is(err, source.ErrEmpty) without parsing messages.
var (
	// ErrEmpty means the file has no non-blank row, so no header.
	ErrEmpty = errors.New("file is empty")
	// ErrUnsupported means the file is neither delimited text nor XLSX.
	ErrUnsupported = errors.New("unsupported file type")
	// ErrLegacyXLS means the file is an Excel 97-2003 (.xls) workbook.
	ErrLegacyXLS = errors.New("excel 97-2003 workbook")
	// ErrEncrypted means the workbook is password protected and no password was given.
	ErrEncrypted = errors.New("workbook is encrypted")
	// ErrWrongPassword means the given password does not open the workbook.
	ErrWrongPassword = errors.New("wrong workbook password")
	// ErrDamaged means the workbook is truncated or corrupt.
	ErrDamaged = errors.New("damaged workbook")
	// ErrTooLarge means the workbook unpacks to more than the allowed size.
	ErrTooLarge = errors.New("workbook too large when unpacked")
	// ErrCellTooLong means one cell exceeds the cell size limit.
	ErrCellTooLong = errors.New("cell too long")
	// ErrRowTooLong means one row exceeds the row size limit.
	ErrRowTooLong = errors.New("row too long")
	// ErrTooManyColumns means one row has more cells than a spreadsheet allows.
	ErrTooManyColumns = errors.New("too many columns")
	// ErrUnclosedQuote means a quoted cell runs to the end of the file.
	ErrUnclosedQuote = errors.New("unclosed quote")
	// ErrEncoding means the text is not valid in its encoding, or the encoding is unknown.
	ErrEncoding = errors.New("bad text encoding")
	// ErrSheetNotFound means the requested sheet does not exist, or no sheet is visible.
	ErrSheetNotFound = errors.New("sheet not found")
	// ErrNoHeader means no row near the top qualifies as the header, or the
	// row named as the header is blank or missing.
	ErrNoHeader = errors.New("no header row")
	// ErrNotWorkbook means a workbook-only option (--sheet) was given for delimited text.
	ErrNotWorkbook = errors.New("not a workbook")
)

// FileError is a file-level problem: the import stops before sending anything (exit 2).
type FileError struct {
	Path   string // as given to Open; "-" is standard input
	Row    int    // 1-based spreadsheet row, 0 = not applicable
	Column int    // 1-based column, 0 = not applicable
	Err    error
}

// Error returns one sentence naming the file, the place in it and what to do,
// e.g. "leads.csv: row 12, column 3: cell is longer than 32767 characters; check the file's quoting".
func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(displayName(e.Path))
	if e.Row > 0 {
		b.WriteString(": row ")
		b.WriteString(strconv.Itoa(e.Row))
		if e.Column > 0 {
			b.WriteString(", column ")
			b.WriteString(strconv.Itoa(e.Column))
		}
	} else if e.Column > 0 {
		b.WriteString(": column ")
		b.WriteString(strconv.Itoa(e.Column))
	}
	b.WriteString(": ")
	if e.Err == nil {
		b.WriteString("unknown error")
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// ColumnName returns the spreadsheet letter name of a 1-based column (1→A, 27→AA), for messages.
// It returns "" for n < 1.
func ColumnName(n int) string {
	if n < 1 {
		return ""
	}
	var buf [16]byte
	i := len(buf)
	for n > 0 {
		n--
		i--
		buf[i] = byte('A' + n%26)
		n /= 26
	}
	return string(buf[i:])
}

// displayName is how a path appears in messages.
func displayName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// problem is the Err of a FileError: a user-facing sentence tail that still
// matches its kind and its cause with errors.Is and errors.As.
type problem struct {
	kind  error
	msg   string
	cause error
}

func (p *problem) Error() string { return p.msg }

func (p *problem) Unwrap() []error {
	errs := make([]error, 0, 2)
	if p.kind != nil {
		errs = append(errs, p.kind)
	}
	if p.cause != nil {
		errs = append(errs, p.cause)
	}
	return errs
}

// fileErr builds a FileError without a position.
func fileErr(path string, kind error, cause error, msg string) *FileError {
	return &FileError{Path: path, Err: &problem{kind: kind, msg: msg, cause: cause}}
}
