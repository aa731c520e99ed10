package bench

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// WriteCSV writes the header and rows 1..n to a new CSV file at path.
func WriteCSV(path string, n int) error {
	return writeFile(path, func(w *bufio.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(Columns()); err != nil {
			return err
		}
		for i := 1; i <= n; i++ {
			if err := cw.Write(LeadAt(i).Cells()); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// WriteRequests writes one line per row for scripts that send the updates
// themselves: the lead's API ID, a tab, and the JSON body leadstatus would send.
func WriteRequests(path string, n int) error {
	return writeFile(path, func(w *bufio.Writer) error {
		for i := 1; i <= n; i++ {
			l := LeadAt(i)
			w.WriteString(l.APIID())
			w.WriteByte('\t')
			w.WriteString(l.Body())
			if err := w.WriteByte('\n'); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeFile creates path, lets fill write it through a buffer, and closes it,
// reporting the first error.
func writeFile(path string, fill func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteXLSX writes the header and rows 1..n to a new workbook at path with
// excelize's StreamWriter, so memory stays flat whatever n is. IDs,
// quantities and prices are numeric cells, as Excel stores typed numbers.
func WriteXLSX(path string, n int) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", path, cerr)
		}
	}()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	header := Columns()
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	for i := 1; i <= n; i++ {
		l := LeadAt(i)
		row := []any{l.ID, l.Deal, l.Owner, l.Outcome, nil, nil, nil, nil, l.Notes}
		if l.Product > 0 {
			row[4] = strconv.Itoa(l.Product) + "-products"
			row[5] = l.Quantity
			row[6] = float64(l.Cents) / 100
			row[7] = "USD"
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("write %s row %d: %w", path, i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}
