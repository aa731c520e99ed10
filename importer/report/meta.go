package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
)

// Meta is written beside the report as "<report path>.meta.json" when the run
// starts, so --resume can refuse a report made from a different input.
type Meta struct {
	Input       string    `json:"input"`        // the input path as given
	InputSHA256 string    `json:"input_sha256"` // hex SHA-256 of the input's bytes
	InputSize   int64     `json:"input_size"`   // the input's size in bytes
	Started     time.Time `json:"started"`      // when the run started
	Tool        string    `json:"tool"`         // tool name and version
	Args        []string  `json:"args"`         // the command line, without secrets
}

// MetaPath returns the sidecar path of a report.
func MetaPath(reportPath string) string {
	return reportPath + ".meta.json"
}

// WriteMeta writes m to MetaPath(reportPath). Like Create, it refuses to
// overwrite an existing file (*ExistsError) unless force. A sidecar left half
// written is removed.
func WriteMeta(reportPath string, m Meta, force bool) error {
	path := MetaPath(reportPath)
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode fingerprint: %w", err)
	}
	data = append(data, '\n')
	f, err := createFile(path, force)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return &WriteError{Path: path, Err: err}
	}
	return nil
}

// ReadMeta reads the sidecar of reportPath. A missing or unreadable sidecar
// gives a *MetaError (errors.Is(err, fs.ErrNotExist) when missing).
func ReadMeta(reportPath string) (Meta, error) {
	path := MetaPath(reportPath)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && strings.HasSuffix(reportPath, spoolSuffix) {
		// A workbook's kept spool shares the workbook's fingerprint.
		if d, werr := os.ReadFile(MetaPath(strings.TrimSuffix(reportPath, spoolSuffix))); werr == nil {
			data, err = d, nil
		}
	}
	if err != nil {
		return Meta{}, &MetaError{Path: path, Err: err}
	}
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		return Meta{}, &MetaError{Path: path, Err: err}
	}
	if m.InputSHA256 == "" {
		return Meta{}, &MetaError{Path: path, Err: errors.New("it has no input_sha256")}
	}
	return m, nil
}

// FingerprintFile returns the hex SHA-256 and the size of the file at path,
// reading it as a stream. Standard input cannot be fingerprinted this way.
func FingerprintFile(path string) (sha string, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	size, err = io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}
