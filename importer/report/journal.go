package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
)

// JournalPath is where a run notes, beside its report, each update as it is
// dispatched: a killed run's report lacks the rows in flight, and the
// journal tells the rows it may have sent from those it never sent.
func JournalPath(reportPath string) string { return reportPath + ".dispatched" }

// Journal notes dispatched rows, one line of row numbers per update, each
// written before the update is sent. It is safe for concurrent use.
type Journal struct {
	mu   sync.Mutex
	f    *os.File
	path string
	line []byte
}

// CreateJournal makes the journal of the report at reportPath, replacing
// any earlier one: the report itself was just created.
func CreateJournal(reportPath string) (*Journal, error) {
	path := JournalPath(reportPath)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, &WriteError{Path: path, Err: err}
	}
	_ = f.Chmod(0o600)
	return &Journal{f: f, path: path}, nil
}

// Dispatched notes rows as about to be sent. The line reaches the operating
// system in one write, so a killed process leaves it whole or not at all.
func (j *Journal) Dispatched(rows []int) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	b := j.line[:0]
	for i, r := range rows {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(r), 10)
	}
	b = append(b, '\n')
	j.line = b
	if _, err := j.f.Write(b); err != nil {
		return &WriteError{Path: j.path, Err: err}
	}
	return nil
}

// Close closes the journal and, when the report holds every row (remove),
// deletes it.
func (j *Journal) Close(remove bool) {
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	_ = j.f.Close()
	if remove {
		_ = os.Remove(j.path)
	}
}

// readJournal reads the journal beside the report at reportPath (or beside
// the workbook whose kept rows it is): the rows dispatched, or nil when
// there is none. A last line without its newline was never finished, so its
// update was never sent.
func readJournal(reportPath string) (map[int]bool, error) {
	data, err := os.ReadFile(JournalPath(reportPath))
	if errors.Is(err, fs.ErrNotExist) && strings.HasSuffix(reportPath, spoolSuffix) {
		data, err = os.ReadFile(JournalPath(strings.TrimSuffix(reportPath, spoolSuffix)))
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", JournalPath(reportPath), err)
	}
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		data = data[:i+1]
	} else {
		data = nil
	}
	rows := map[int]bool{}
	for _, f := range strings.Fields(string(data)) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("%s holds %q, not a row number; remove it to have every row after the report's last checked before it is resent", JournalPath(reportPath), f)
		}
		rows[n] = true
	}
	return rows, nil
}
