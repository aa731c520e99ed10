package report

import (
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"
)

// readPreviousXLSX reads an XLSX report row by row. An XLSX report is written
// whole when its run ends, so there is no cut-off line to tolerate: an
// interrupted run leaves a file excelize cannot open.
func readPreviousXLSX(path string, p *Previous) error {
	book, err := excelize.OpenFile(path, excelize.Options{
		// Larger sheet parts go to temporary files instead of memory.
		UnzipXMLSizeLimit: 1 << 20,
	})
	if err != nil {
		return &CorruptError{Path: path, Err: fmt.Errorf("cannot open it as XLSX (an XLSX report is complete only when its run ended): %w", err)}
	}
	defer book.Close()
	sheet := xlsxSheet
	if !slices.Contains(book.GetSheetList(), sheet) {
		sheet = book.GetSheetName(0)
	}
	rows, err := book.Rows(sheet)
	if err != nil {
		return &CorruptError{Path: path, Err: err}
	}
	defer rows.Close()
	var cols reportColumns
	headerSeen := false
	for line := 1; rows.Next(); line++ {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return &CorruptError{Path: path, Line: line, Err: err}
		}
		if !headerSeen {
			if cols, err = findColumns(path, rec); err != nil {
				return err
			}
			headerSeen = true
			continue
		}
		if len(rec) == 0 {
			continue // rows.Next also yields missing rows as empty
		}
		if err := p.addRecord(path, line, cols, rec); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return &CorruptError{Path: path, Err: err}
	}
	if !headerSeen {
		return &NotReportError{Path: path, Reason: "its first sheet is empty"}
	}
	return nil
}
