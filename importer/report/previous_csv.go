package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
)

// readPreviousCSV reads a CSV report. Only the bytes up to the last newline
// are read, so a line cut off by a killed run is ignored; a record that fails
// to parse at the very end (a cut inside a quoted cell that held a newline)
// is ignored too.
func readPreviousCSV(path string, p *Previous) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open previous report: %w", err)
	}
	defer f.Close()
	end, err := lastNewline(f)
	if err != nil {
		return fmt.Errorf("read previous report %s: %w", path, err)
	}
	if end < 0 {
		return &NotReportError{Path: path, Reason: "it has no complete header line"}
	}
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, end+1), csvBufferSize)
	if head, _ := br.Peek(len(bom)); string(head) == bom {
		br.Discard(len(bom))
	}
	r := csv.NewReader(br)
	r.ReuseRecord = true
	// A report saved again by a spreadsheet may lose trailing empty cells;
	// missing cells read as empty.
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return &NotReportError{Path: path, Reason: "its first line is not a CSV header"}
	}
	cols, err := findColumns(path, header)
	if err != nil {
		return err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var perr *csv.ParseError
			if !errors.As(err, &perr) {
				return fmt.Errorf("read previous report %s: %w", path, err)
			}
			if _, next := r.Read(); next == io.EOF {
				return nil // the last record was cut off
			}
			return &CorruptError{Path: path, Line: perr.StartLine, Err: perr.Err}
		}
		line, _ := r.FieldPos(0)
		if err := p.addRecord(path, line, cols, rec); err != nil {
			return err
		}
	}
}

// lastNewline returns the offset of the last '\n' in f, or -1 if there is
// none, reading backwards from the end in blocks.
func lastNewline(f *os.File) (int64, error) {
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	buf := make([]byte, 64<<10)
	for end := info.Size(); end > 0; {
		start := max(end-int64(len(buf)), 0)
		chunk := buf[:end-start]
		if _, err := f.ReadAt(chunk, start); err != nil && err != io.EOF {
			return 0, err
		}
		if i := bytes.LastIndexByte(chunk, '\n'); i >= 0 {
			return start + int64(i), nil
		}
		end = start
	}
	return -1, nil
}
