package source

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxReader streams one sheet of a workbook. excelize opens the workbook
// and gives its sheet list, styles and date system; the rows come from one
// streaming pass over the sheet's XML (sheetCells), which reads each cell's
// value with its type and style. Numbers come as stored, so an ID is 1006
// whatever its number format, and are then shown at Excel's precision (see
// excelNumber); a cell's style says whether the number is a date (see
// readCellStyles) and gives its format.
type xlsxReader struct {
	path      string
	f         *excelize.File
	zipCloser io.Closer // closes the workbook's zip; nil when it is in memory
	cells     *sheetCells
	pending   int // number of the row cells has read and Next has not yet reached; 0 when none
	styles    cellStyles
	merges    *mergeState
	date1904  bool
	maxCell   int
	header    []string
	headerRow int
	num       int // row number of the last row read
	buf       []string
	numeric   []bool
	formats   []string
	err       error
	warnings  []string
}

// excelizeOptions are the options every workbook is opened with.
func excelizeOptions(opts Options) excelize.Options {
	limit := opts.maxUnzipBytes()
	return excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    limit,
		UnzipXMLSizeLimit: min(xmlSpillBytes, limit),
	}
}

// openXLSX opens a workbook file.
func openXLSX(path string, opts Options, warnings []string) (Reader, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, damaged(path, err)
	}
	merges, ferr := checkWorkbookZip(path, &zr.Reader, opts.maxUnzipBytes())
	if ferr != nil {
		_ = zr.Close()
		return nil, ferr
	}
	f, err := openSlim(&zr.Reader, opts)
	if err != nil {
		_ = zr.Close()
		return nil, damaged(path, err)
	}
	return newXLSXReader(path, f, &zr.Reader, zr, merges, opts, warnings)
}

// openDecrypted opens a workbook decrypted into memory.
func openDecrypted(path string, plain []byte, opts Options) (Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(plain), int64(len(plain)))
	if err != nil {
		return nil, damaged(path, err)
	}
	merges, ferr := checkWorkbookZip(path, zr, opts.maxUnzipBytes())
	if ferr != nil {
		return nil, ferr
	}
	f, err := openSlim(zr, opts)
	if err != nil {
		return nil, damaged(path, err)
	}
	return newXLSXReader(path, f, zr, nil, merges, opts, nil)
}

// openSlim opens a workbook with excelize for its sheet list, styles and
// date system, from a copy of its zip without what the reader reads
// itself: each worksheet is an empty one there, and the shared strings,
// images and embedded files are left out. excelize would otherwise write
// every large sheet to a temporary file at open, which nothing reads. The
// parts kept are copied as compressed, without inflating them.
func openSlim(zr *zip.Reader, opts Options) (*excelize.File, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		switch {
		case name == "xl/sharedstrings.xml", strings.HasPrefix(name, "xl/media/"), strings.HasPrefix(name, "xl/embeddings/"):
			continue
		case strings.HasPrefix(name, "xl/worksheets/sheet") && strings.HasSuffix(name, ".xml"):
			w, err := zw.Create(zf.Name)
			if err != nil {
				return nil, err
			}
			if _, err := io.WriteString(w, emptySheet); err != nil {
				return nil, err
			}
			continue
		}
		if err := copyRaw(zw, zf); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	f, err := guarded(func() (*excelize.File, error) {
		return excelize.OpenReader(&buf, excelizeOptions(opts))
	})
	if err != nil {
		closeQuietly(f)
		return nil, err
	}
	return f, nil
}

const emptySheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`

// copyRaw copies a zip entry to zw as it is stored.
func copyRaw(zw *zip.Writer, zf *zip.File) error {
	rc, err := zf.OpenRaw()
	if err != nil {
		return err
	}
	w, err := zw.CreateRaw(&zf.FileHeader)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, rc)
	return err
}

// closeQuietly removes the temporary files of a workbook that failed to
// open: excelize returns the half-opened file along with the error.
func closeQuietly(f *excelize.File) {
	if f != nil {
		_ = f.Close()
	}
}

// guarded runs an excelize call, turning a panic on a malformed workbook
// into an error.
func guarded[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("excelize: %v", p)
		}
	}()
	return fn()
}

// newXLSXReader reads the sheet opts names; merges holds the merge list of
// each XML part of the workbook, by its name in the zip.
func newXLSXReader(path string, f *excelize.File, zr *zip.Reader, zc io.Closer, merges map[string]*mergeState, opts Options, warnings []string) (rd Reader, err error) {
	r := &xlsxReader{path: path, f: f, zipCloser: zc, maxCell: opts.maxCellBytes(), warnings: warnings}
	defer func() {
		if p := recover(); p != nil {
			err = damaged(path, fmt.Errorf("excelize: %v", p))
		}
		if err != nil {
			_ = r.Close()
			rd = nil
		}
	}()
	sheet, err := r.selectSheet(opts.Sheet)
	if err != nil {
		return nil, err
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		r.date1904 = *props.Date1904
	}
	sst, err := readSharedStrings(zr, r.maxCell)
	if err != nil {
		return nil, damaged(path, err)
	}
	part, err := sheetPart(zr, sheet)
	if err != nil {
		return nil, damaged(path, err)
	}
	if r.cells, err = openSheetCells(part, sst, r.maxCell); err != nil {
		return nil, damaged(path, err)
	}
	if r.merges = merges[part.Name]; r.merges == nil {
		if r.merges, err = scanMerges(zr, sheet); err != nil {
			return nil, damaged(path, err)
		}
	}
	r.styles = readCellStyles(f)
	row, skipped, err := findHeader(path, opts, r.Next)
	if errors.Is(err, io.EOF) {
		return nil, fileErr(path, ErrEmpty, nil, fmt.Sprintf("sheet %q is empty; it needs a header row and data rows (choose another sheet with --sheet)", sheet))
	}
	if err != nil {
		return nil, err
	}
	r.header = row.Cells
	r.headerRow = row.Number
	r.warnings = append(r.warnings, skipped...)
	return r, nil
}

// selectSheet returns the sheet named by --sheet, or the first visible one.
func (r *xlsxReader) selectSheet(want string) (string, error) {
	names := r.f.GetSheetList()
	if len(names) == 0 {
		return "", damaged(r.path, errors.New("workbook lists no sheets"))
	}
	if want == "" {
		for _, name := range names {
			if visible, err := r.f.GetSheetVisible(name); err == nil && visible {
				return name, nil
			}
		}
		return "", fileErr(r.path, ErrSheetNotFound, nil, fmt.Sprintf("the workbook has no visible sheet; choose one with --sheet: %s", quoteList(names)))
	}
	name := ""
	for _, n := range names {
		if n == want {
			name = n
			break
		}
		if name == "" && strings.EqualFold(n, want) {
			name = n
		}
	}
	if name == "" {
		return "", fileErr(r.path, ErrSheetNotFound, nil, fmt.Sprintf("the workbook has no sheet named %q; choose one of %s with --sheet", want, quoteList(names)))
	}
	if visible, err := r.f.GetSheetVisible(name); err == nil && !visible {
		r.warnings = append(r.warnings, fmt.Sprintf("Sheet %q of %s is hidden; read it because --sheet names it.", name, r.path))
	}
	return name, nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// Header returns the header row, as read.
func (r *xlsxReader) Header() []string { return r.header }

// HeaderRow returns the row number of the header.
func (r *xlsxReader) HeaderRow() int { return r.headerRow }

// Warnings returns notes about how the file was read.
func (r *xlsxReader) Warnings() []string { return r.warnings }

// Next returns the next non-blank row, padded to the header's width (a
// sheet leaves out trailing blank cells).
func (r *xlsxReader) Next() (row Row, err error) {
	if r.err != nil {
		return Row{}, r.err
	}
	for {
		if r.pending == 0 {
			n, err := r.cells.next()
			if err != nil {
				return r.fail(n, err)
			}
			if n == 0 {
				r.err = io.EOF
				return Row{}, io.EOF
			}
			r.pending = n
		}
		// Rows the sheet leaves out are blank, unless a merged range covers them.
		r.num++
		if r.num < r.pending {
			if !r.merges.touches(r.num) {
				r.num = r.pending - 1
				continue
			}
			out, numeric, formats := r.merges.apply(r.num, r.buf[:0], r.numeric[:0], r.formats[:0])
			r.buf, r.numeric, r.formats = out, numeric, formats
			if blankRecord(out) {
				continue
			}
			return r.row(out, numeric, formats, slices.ContainsFunc(formats, func(f string) bool { return f != "" })), nil
		}
		r.pending = 0
		cells, types, styles := r.cells.values, r.cells.numeric, r.cells.styles
		merged := r.merges.touches(r.num)
		if blankRecord(cells) && !merged {
			continue
		}
		out, numeric, formats := r.buf[:0], r.numeric[:0], r.formats[:0]
		formatted := false
		for i, c := range cells {
			isNumber := types[i]
			format := ""
			if isNumber {
				kind, f := r.styles.style(styles[i])
				if kind == notDate {
					format = f
				} else if d := renderDate(c, kind, r.date1904); d != c {
					c, isNumber, format = d, false, f
				}
			}
			if isNumber {
				c = excelNumber(c)
			}
			formatted = formatted || format != ""
			numeric = append(numeric, isNumber)
			formats = append(formats, format)
			if len(c) > r.maxCell {
				return Row{}, r.tooLong(i + 1)
			}
			out = append(out, c)
		}
		if merged {
			out, numeric, formats = r.merges.apply(r.num, out, numeric, formats)
			r.buf, r.numeric, r.formats = out, numeric, formats
			if blankRecord(out) {
				continue
			}
			formatted = slices.ContainsFunc(formats, func(f string) bool { return f != "" })
		}
		return r.row(out, numeric, formats, formatted), nil
	}
}

// row pads a row read at r.num to the header's width and keeps its slices
// for reuse.
func (r *xlsxReader) row(out []string, numeric []bool, formats []string, formatted bool) Row {
	for len(out) < len(r.header) {
		out = append(out, "")
		numeric = append(numeric, false)
		formats = append(formats, "")
	}
	r.buf, r.numeric, r.formats = out, numeric, formats
	row := Row{Number: r.num, Cells: out, Numeric: numeric}
	if formatted {
		row.Formats = formats
	}
	return row
}

func (r *xlsxReader) tooLong(column int) error {
	r.err = &FileError{Path: r.path, Row: r.num, Column: column, Err: &problem{kind: ErrCellTooLong, msg: fmt.Sprintf("cell is longer than %d bytes; the workbook may be damaged", r.maxCell)}}
	return r.err
}

// fail ends the stream with an error reading row n (0 when the row's own
// tag is at fault: the error is placed after the last row read).
func (r *xlsxReader) fail(n int, err error) (Row, error) {
	if n == 0 {
		n = r.num + 1
	}
	r.num = n
	var bad *errSheetRow
	column := 0
	if errors.As(err, &bad) {
		column = bad.column
	}
	if errors.Is(err, errTextTooLong) {
		return Row{}, r.tooLong(column)
	}
	msg := "cannot read this row; the workbook may be damaged, so open it in Excel, save it again and retry"
	if errors.Is(err, errMaxRows) {
		msg = "the sheet has more rows than Excel allows; the workbook is damaged"
	}
	r.err = &FileError{Path: r.path, Row: n, Column: column, Err: &problem{kind: ErrDamaged, msg: msg, cause: err}}
	return Row{}, r.err
}

// Close releases the workbook and removes excelize's temporary files.
func (r *xlsxReader) Close() error {
	if r.f == nil {
		return nil
	}
	var errs []error
	if r.cells != nil {
		errs = append(errs, r.cells.Close())
	}
	if r.zipCloser != nil {
		errs = append(errs, r.zipCloser.Close())
	}
	errs = append(errs, r.f.Close())
	r.f, r.cells, r.zipCloser = nil, nil, nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close %s: %w", displayName(r.path), err)
	}
	return nil
}
