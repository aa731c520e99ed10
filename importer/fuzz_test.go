package importer

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// FuzzImportCSV feeds arbitrary bytes through the CSV reader and the mapper,
// as an import does: no panic, and every row read lands in exactly one group.
func FuzzImportCSV(f *testing.F) {
	seeds := []string{
		"lead,outcome\n1,Won\n2,Lost\n",
		"Lead ID;Outcome;Product;Quantity;Price\r\n1006;Won;3;2;\"1,234.50\"\r\n1006;Won;4;1;$99\r\n",
		"\xef\xbb\xbflead\tcompetitors\n5-leads\t1;2; 3\n",
		"\xff\xfel\x00e\x00a\x00d\x00\n\x001\x00\n\x00",
		"lead,outcome\n\"1\n2\",Won\n3,\"unterminated\n",
		"lead|outcome|import_result\n7|reopen|succeeded\n7|Won|x\n",
		"a,b\n,,,,\n\n\n1,2,3\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		src, err := source.Open(path, source.Options{})
		if err != nil {
			var fe *source.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Open error %T is not a *source.FileError: %v", err, err)
			}
			return
		}
		defer src.Close()
		spec, err := mapping.NewSpec(src.Header(), nil)
		if err != nil {
			return // no lead column: a header error, reported before anything runs
		}
		grouper := mapping.NewGrouper(spec, mapping.UncheckedResolver())
		seen := map[int]int{}
		count := func(g *mapping.Group) {
			if g == nil {
				return
			}
			for _, r := range g.Rows {
				seen[r.Number]++
			}
		}
		read := 0
		for {
			row, err := src.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return // a file-level error, reported with its row
			}
			read++
			count(grouper.Add(row.Number, row.Cells))
		}
		count(grouper.Flush())
		if len(seen) != read {
			t.Fatalf("%d rows read, %d distinct rows grouped", read, len(seen))
		}
		for n, c := range seen {
			if c != 1 {
				t.Fatalf("row %d grouped %d times", n, c)
			}
		}
	})
}
