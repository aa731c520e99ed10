package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Create makes the report file at path, choosing the format by extension
// (.csv, .xlsx, .jsonl, in any letter case). It refuses to overwrite an
// existing file (*ExistsError) unless force. The file is created with
// O_EXCL, so two runs given the same path cannot both write it. inputColumns
// are the carried input columns; they come before the import_* columns.
func Create(path string, inputColumns []string, force bool) (Encoder, error) {
	return CreateWrapped(path, inputColumns, force, nil)
}

// CreateWrapped is Create with the report file seen through wrap (nil: as
// is); tests pass a writer that fails part-way.
func CreateWrapped(path string, inputColumns []string, force bool, wrap func(io.WriteCloser) io.WriteCloser) (Encoder, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".csv", ".xlsx", ".jsonl":
	default:
		return nil, &FormatError{Path: path, Ext: filepath.Ext(path)}
	}
	f, err := createFile(path, force)
	if err != nil {
		return nil, err
	}
	var w io.WriteCloser = f
	if wrap != nil {
		w = wrap(f)
	}
	var enc Encoder
	switch ext {
	case ".csv":
		enc, err = newCSV(w, w, path, inputColumns)
	case ".jsonl":
		enc = newJSONL(w, w, path, inputColumns)
	case ".xlsx":
		enc, err = newXLSX(w, path, inputColumns, force)
	}
	if err != nil {
		// Nothing useful was written; do not leave a headerless file behind.
		w.Close()
		os.Remove(path)
		return nil, err
	}
	return enc, nil
}

// createFile opens path for writing: exclusively, or truncating when force.
func createFile(path string, force bool) (*os.File, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	// Reports hold customer data: readable by their owner only.
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, &ExistsError{Path: path}
	}
	if err != nil {
		return nil, fmt.Errorf("create report %s: %w", path, err)
	}
	if force {
		// A file overwritten keeps its mode; an older one may be readable by all.
		_ = f.Chmod(0o600)
	}
	return f, nil
}

// DefaultPath is where the report goes when the user names none:
// "<dir of input>/<input stem>.report-<YYYYMMDD-HHMMSS>.csv", with now as
// given (the caller picks the zone). For input "-" (standard input) it is in
// the current directory with the stem "stdin".
func DefaultPath(input string, now time.Time) string {
	dir, stem := ".", "stdin"
	if input != "-" {
		dir = filepath.Dir(input)
		base := filepath.Base(input)
		stem = strings.TrimSuffix(base, filepath.Ext(base))
		if stem == "" {
			// A name that is all extension (".csv") keeps it as the stem.
			stem = base
		}
	}
	return filepath.Join(dir, stem+".report-"+now.Format("20060102-150405")+".csv")
}
