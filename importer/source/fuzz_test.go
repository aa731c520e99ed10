package source

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// fuzzMaxCell is small so the fuzzer reaches the cell and row limits.
const fuzzMaxCell = 64

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"ID,Outcome\n1006,won\n",
		"\n\nID;X\r\n1;\"a\nb\"\r\n\r\n2;c\n",
		"ID\t\"q\"\"x\"\n1\t5\" screen\n",
		"a|b\n\"open\n",
		"\xEF\xBB\xBFID\n\xff\n",
		"\xFF\xFEI\x00D\x00\n\x001\x00",
		"A,B\r1,2\r",
		"x,\"y\"\rz\n\r\"\r\n",
	} {
		f.Add([]byte(s), byte(0))
	}
	f.Add([]byte("a\tb\n1,2\t3\n"), byte(8))
	f.Add([]byte("I\x00D\x00\n\x00"), byte(2))
	f.Add([]byte("Caf\xe9;x\n"), byte(4))
	f.Fuzz(func(t *testing.T, data []byte, mode byte) {
		// mode picks the encoding (detect or one of the four) and whether
		// the file is a .tsv.
		enc := encoding(mode % 5)
		topts := textOptions{enc: enc, preferTab: mode&8 != 0, maxCell: fuzzMaxCell}
		raw := bufio.NewReaderSize(bytes.NewReader(data), prefixSize)
		r, err := newTextReader("fuzz.csv", raw, nil, topts, nil)
		if err != nil {
			asFileError(t, err)
			return
		}
		var got [][]string
		got = append(got, slices.Clone(r.Header()))
		last := r.HeaderRow()
		if last < 1 {
			t.Fatalf("header row %d", last)
		}
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatal("more rows than bytes: Next does not end")
			}
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				fe := asFileError(t, err)
				if fe.Row != 0 && fe.Row <= last {
					t.Fatalf("error at row %d after row %d", fe.Row, last)
				}
				return
			}
			if row.Number <= last {
				t.Fatalf("row %d follows row %d", row.Number, last)
			}
			last = row.Number
			got = append(got, slices.Clone(row.Cells))
		}
		// The guard must pass text through unchanged: for plain UTF-8
		// without CRs, the rows are exactly encoding/csv's non-blank records.
		if enc != encDetect && enc != encUTF8 || !utf8.Valid(data) || bytes.HasPrefix(data, []byte(utf8BOM)) || bytes.IndexByte(data, '\r') >= 0 || classify(data) != contentText {
			return
		}
		if enc, _ := detectEncoding(data, true); enc != encUTF8 {
			return
		}
		cr := csv.NewReader(bytes.NewReader(data))
		cr.Comma = r.cr.Comma
		cr.LazyQuotes = true
		cr.FieldsPerRecord = -1
		var want [][]string
		for {
			rec, err := cr.Read()
			if err != nil {
				break
			}
			if !blankRecord(rec) {
				want = append(want, rec)
			}
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("rows %q, encoding/csv reads %q", got, want)
		}
	})
}

func FuzzXLSXOpen(f *testing.F) {
	for _, build := range []func(*excelize.File){
		func(x *excelize.File) {
			_ = x.SetCellValue("Sheet1", "A1", "ID")
			_ = x.SetCellValue("Sheet1", "B1", "Date")
			_ = x.SetCellValue("Sheet1", "A3", 1006)
			_ = x.SetCellValue("Sheet1", "B3", 45382.5)
			if id, err := x.NewStyle(&excelize.Style{NumFmt: 22}); err == nil {
				_ = x.SetCellStyle("Sheet1", "B3", "B3", id)
			}
		},
		func(x *excelize.File) {
			_, _ = x.NewSheet("Leads")
			_ = x.SetCellValue("Leads", "C2", "x")
			_ = x.SetSheetVisible("Sheet1", false)
		},
	} {
		x := excelize.NewFile()
		build(x)
		buf, err := x.WriteToBuffer()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
		f.Add(buf.Bytes()[:buf.Len()/2])
		_ = x.Close()
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		tmp, err := os.CreateTemp(dir, "*.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		path := tmp.Name()
		defer os.Remove(path)
		if _, err := tmp.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := tmp.Close(); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path, Options{MaxUnzipBytes: 64 << 20, Password: "pw"})
		if err != nil {
			asFileError(t, err)
			return
		}
		defer r.Close()
		last := r.HeaderRow()
		for {
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				asFileError(t, err)
				return
			}
			if row.Number <= last {
				t.Fatalf("row %d follows row %d", row.Number, last)
			}
			last = row.Number
		}
	})
}
