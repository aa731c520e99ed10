package bench

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"

	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
)

// floorValues fills the import_* columns of the floor's report: fixed values
// of the size a dry run writes, so the floor writes as many bytes as the tool.
func floorValues() []string {
	return []string{"2", string(report.DryRun), "", "", "", "", "", `{"outcomeId":"1-outcomes"}`, "1-leads", "", "", ""}
}

// FloorCSV is the bare I/O any importer of a CSV must do: it reads in with
// encoding/csv and writes to out a report of the same shape (the input's
// columns, then the import_* columns filled with fixed values). It returns
// the number of data rows.
func FloorCSV(in, out string) (rows int, err error) {
	src, err := os.Open(in)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", in, err)
	}
	defer src.Close()
	r := csv.NewReader(bufio.NewReaderSize(src, 1<<16))
	r.ReuseRecord = true
	err = writeFile(out, func(w *bufio.Writer) error {
		cw := csv.NewWriter(w)
		header, err := r.Read()
		if err != nil {
			return fmt.Errorf("read %s header: %w", in, err)
		}
		rec := append(append([]string(nil), header...), report.Columns()...)
		if err := cw.Write(rec); err != nil {
			return err
		}
		extra := floorValues()
		for {
			cells, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("read %s: %w", in, err)
			}
			rows++
			rec = append(append(rec[:0], cells...), extra...)
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	return rows, err
}

// XLSXOptions returns the excelize options the project's XLSX reader opens
// every workbook with (see importer/source/xlsx.go): raw cell values, the
// default unzip cap, and large parts spilled to temporary files past 1 MiB.
func XLSXOptions() excelize.Options {
	return excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    source.DefaultMaxUnzipBytes,
		UnzipXMLSizeLimit: 1 << 20,
	}
}

// FloorXLSX is the bare I/O any importer of a workbook must do: excelize's row
// iterator over the first sheet, each row's cells read, nothing else. It
// returns the number of data rows.
func FloorXLSX(in string) (rows int, err error) {
	f, err := excelize.OpenFile(in, XLSXOptions())
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", in, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", in, cerr)
		}
	}()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return 0, fmt.Errorf("read %s: the workbook has no sheet", in)
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", in, err)
	}
	defer it.Close()
	n := 0
	for it.Next() {
		if _, err := it.Columns(); err != nil {
			return 0, fmt.Errorf("read %s row %d: %w", in, n+1, err)
		}
		n++
	}
	if err := it.Error(); err != nil {
		return 0, fmt.Errorf("read %s: %w", in, err)
	}
	return max(n-1, 0), nil
}
