package source

import (
	"fmt"
	"io"
	"strings"
)

// Options says how to read a file.
type Options struct {
	// Sheet is the XLSX sheet name; "" = first visible sheet.
	Sheet string
	// Encoding of delimited text: "" = detect; accepted (case-insensitive): "utf-8"/"utf8",
	// "utf-16le", "utf-16be", "windows-1252"/"cp1252"/"latin1". Ignored for XLSX.
	Encoding string
	// Stdin is read when the path is "-" (delimited text, delimiter sniffed).
	Stdin io.Reader
	// Password opens an encrypted XLSX (the caller takes it from LEADSTATUS_XLSX_PASSWORD).
	Password string
	// MaxCellBytes caps one cell of delimited text, in bytes; 0 = DefaultMaxCellBytes.
	MaxCellBytes int
	// MaxUnzipBytes caps the total uncompressed size of an XLSX; 0 = DefaultMaxUnzipBytes.
	MaxUnzipBytes int64
	// HeaderRow is the spreadsheet row number of the header; 0 = find it
	// with IsHeader. Rows above it are skipped.
	HeaderRow int
	// IsHeader tells the header from rows above it (a title, a date): the
	// header is the first of the first MaxHeaderSearch non-blank rows it
	// accepts. nil = the first non-blank row is the header.
	IsHeader func(cells []string) bool
	// HeaderWant says what IsHeader looks for ("a lead column") and
	// HeaderFix how to make a row qualify, for the message when none does.
	HeaderWant, HeaderFix string
}

const (
	// ExcelMaxCellChars is the most characters Excel keeps in one cell.
	ExcelMaxCellChars = 32767
	// ExcelMaxColumns is the most columns an Excel sheet has.
	ExcelMaxColumns = 16384
	// DefaultMaxCellBytes allows Excel's cell limit at up to 4 bytes per character.
	DefaultMaxCellBytes = 4 * ExcelMaxCellChars
	// DefaultMaxUnzipBytes caps an XLSX's unpacked size against zip bombs.
	DefaultMaxUnzipBytes = 2 << 30
	// maxRowBytes caps one delimited-text row so a file without line breaks
	// cannot grow memory without bound.
	maxRowBytes = 16 << 20
	// maxInMemoryParts caps the workbook parts excelize holds in memory
	// (everything but large worksheets and shared strings, which it spools to disk).
	maxInMemoryParts = 256 << 20
)

func (o Options) maxCellBytes() int {
	if o.MaxCellBytes > 0 {
		return o.MaxCellBytes
	}
	return DefaultMaxCellBytes
}

func (o Options) maxUnzipBytes() int64 {
	if o.MaxUnzipBytes > 0 {
		return o.MaxUnzipBytes
	}
	return DefaultMaxUnzipBytes
}

// encoding is a supported text encoding.
type encoding int

const (
	encDetect encoding = iota
	encUTF8
	encUTF16LE
	encUTF16BE
	encWindows1252
)

func (e encoding) String() string {
	switch e {
	case encUTF8:
		return "utf-8"
	case encUTF16LE:
		return "utf-16le"
	case encUTF16BE:
		return "utf-16be"
	case encWindows1252:
		return "windows-1252"
	}
	return "detect"
}

// parseEncoding maps a user's encoding name to an encoding.
func parseEncoding(name string) (encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "":
		return encDetect, nil
	case "utf-8", "utf8":
		return encUTF8, nil
	case "utf-16le", "utf16le":
		return encUTF16LE, nil
	case "utf-16be", "utf16be":
		return encUTF16BE, nil
	case "windows-1252", "cp1252", "latin1", "latin-1":
		return encWindows1252, nil
	}
	return encDetect, fmt.Errorf("unknown encoding %q; use utf-8, utf-16le, utf-16be or windows-1252", name)
}
