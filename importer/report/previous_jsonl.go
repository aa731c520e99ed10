package report

import (
	"errors"
	"io"
)

// readPreviousJSONL reads a JSONL report through the same reader as OpenRows.
// A last line with no newline is a line cut off by a killed run and is
// ignored.
func readPreviousJSONL(path string, p *Previous) error {
	r, err := openJSONLRows(path, false)
	if err != nil {
		return err
	}
	defer r.Close()
	if r.header == nil {
		return nil // the only line was cut off: nothing is known done
	}
	cols, err := findColumns(path, r.header)
	if err != nil {
		return err
	}
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := p.addRecord(path, r.line, cols, row.Cells); err != nil {
			return err
		}
	}
}
