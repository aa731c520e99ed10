package source

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// fileKind is what a file's extension promises.
type fileKind int

const (
	kindOther fileKind = iota
	kindCSV            // .csv, .txt and standard input: delimiter sniffed
	kindTSV            // .tsv: tab unless sniffing clearly says otherwise
	kindXLSX           // .xlsx, .xlsm
)

func kindOf(path string) fileKind {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt":
		return kindCSV
	case ".tsv":
		return kindTSV
	case ".xlsx", ".xlsm":
		return kindXLSX
	}
	return kindOther
}

// Open opens a CSV, TSV, text or XLSX file ("-" = CSV on Options.Stdin) and
// reads up to its header row. The content decides the format when it
// contradicts the extension. Errors are *FileError.
func Open(path string, opts Options) (Reader, error) {
	enc, err := parseEncoding(opts.Encoding)
	if err != nil {
		return nil, fileErr(path, ErrEncoding, nil, err.Error())
	}
	topts := textOptions{enc: enc, maxCell: opts.maxCellBytes(), header: opts}
	if path == "-" {
		return openStdin(opts, topts)
	}
	return openFile(path, opts, topts)
}

func openStdin(opts Options, topts textOptions) (Reader, error) {
	const path = "-"
	if opts.Stdin == nil {
		return nil, fileErr(path, nil, nil, "there is no standard input to read; give a file path instead of -")
	}
	raw := bufio.NewReaderSize(opts.Stdin, prefixSize)
	prefix, err := raw.Peek(prefixSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, readErr(path, err)
	}
	switch classify(prefix) {
	case contentEmpty:
		return nil, fileErr(path, ErrEmpty, nil, "the file is empty; it needs a header row and data rows")
	case contentZip, contentOLE:
		return nil, fileErr(path, ErrUnsupported, nil, "it holds an Excel workbook, which is read only from a file; give the workbook's path instead of -")
	case contentBinary:
		return nil, notSpreadsheet(path)
	}
	if opts.Sheet != "" {
		return nil, sheetOnText(path)
	}
	r, err := newTextReader(path, raw, nil, topts, nil)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func openFile(path string, opts Options, topts textOptions) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, openErr(path, err)
	}
	r, err := openOpened(path, f, opts, topts)
	if cr, ok := r.(*csvReader); !ok || cr.closer != f {
		// Only a text reader keeps the file; the XLSX readers reopen it by path.
		_ = f.Close()
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// openOpened sniffs an open file and hands it to the right reader.
func openOpened(path string, f *os.File, opts Options, topts textOptions) (Reader, error) {
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fileErr(path, ErrUnsupported, nil, "it is a folder; give the path of a CSV, TSV or XLSX file")
	}
	kind := kindOf(path)
	raw := bufio.NewReaderSize(f, prefixSize)
	prefix, err := raw.Peek(prefixSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, readErr(path, err)
	}
	var warnings []string
	switch classify(prefix) {
	case contentEmpty:
		return nil, fileErr(path, ErrEmpty, nil, "the file is empty; it needs a header row and data rows")
	case contentBinary:
		return nil, notSpreadsheet(path)
	case contentZip:
		if kind != kindXLSX {
			warnings = append(warnings, fmt.Sprintf("%s is an XLSX workbook despite its name; read it as XLSX.", path))
		}
		return openXLSX(path, opts, warnings)
	case contentOLE:
		return openOLE(path, opts)
	}
	switch kind {
	case kindOther:
		return nil, unsupportedExt(path)
	case kindXLSX:
		warnings = append(warnings, fmt.Sprintf("%s is a text file despite its name; read it as delimited text.", path))
	}
	if opts.Sheet != "" {
		return nil, sheetOnText(path)
	}
	topts.preferTab = kind == kindTSV
	r, err := newTextReader(path, raw, f, topts, warnings)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// sheetOnText refuses --sheet for delimited text, which has no sheets: the
// user meant another file or another sheet of a workbook.
func sheetOnText(path string) *FileError {
	return fileErr(path, ErrNotWorkbook, nil, "--sheet chooses a sheet of an XLSX workbook, but this is delimited text with no sheets; remove --sheet or give the workbook")
}

func notSpreadsheet(path string) *FileError {
	return fileErr(path, ErrUnsupported, nil, "it is not a CSV, TSV or XLSX file; export the data as CSV or XLSX")
}

func unsupportedExt(path string) *FileError {
	ext := filepath.Ext(path)
	what := fmt.Sprintf("its extension %q is not supported", ext)
	if ext == "" {
		what = "it has no file extension"
	}
	return fileErr(path, ErrUnsupported, nil, what+"; use a .csv, .tsv, .txt, .xlsx or .xlsm file")
}

// openErr explains why a file cannot be opened.
func openErr(path string, err error) *FileError {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fileErr(path, nil, err, "the file does not exist; check the path")
	case errors.Is(err, fs.ErrPermission):
		return fileErr(path, nil, err, "permission denied; check that you may read the file")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fileErr(path, nil, err, fmt.Sprintf("cannot open the file (%v); check the path", err))
}
