package source

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"runtime"
	"testing"

	"github.com/leadstatus/leadstatus/importer/internal/xlsxtest"
	"github.com/xuri/excelize/v2"
)

// deflatedZeros returns a raw deflate stream of n MiB of zero bytes, built
// from one flushed 1 MiB block repeated, so the test stays small and fast.
func deflatedZeros(t *testing.T, n int) []byte {
	t.Helper()
	var seg bytes.Buffer
	w, err := flate.NewWriter(&seg, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	// Flush ends the segment on a byte boundary without ending the stream,
	// and the segment refers only to its own bytes, so copies can follow it.
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var end bytes.Buffer
	w2, err := flate.NewWriter(&end, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if err := w2.Close(); err != nil {
		t.Fatal(err)
	}
	return append(bytes.Repeat(seg.Bytes(), n), end.Bytes()...)
}

// bombXLSX is a valid workbook whose first sheet is replaced by a deflate
// stream of bombMiB MiB, declaring declared bytes uncompressed.
func bombXLSX(t *testing.T, stream []byte, declared uint64) string {
	t.Helper()
	src := writeXLSX(t, "ok.xlsx", func(f *excelize.File) { set(t, f, "Sheet1", map[string]any{"A1": "ID"}) })
	bomb := xlsxtest.Rewrite(t, src, func(zw *zip.Writer, zf *zip.File) bool {
		if zf.Name != "xl/worksheets/sheet1.xml" {
			return false
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               zf.Name,
			Method:             zip.Deflate,
			CompressedSize64:   uint64(len(stream)),
			UncompressedSize64: declared,
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(stream); err != nil {
			t.Fatal(err)
		}
		return true
	})
	return writeFile(t, "bomb.xlsx", bomb)
}

func TestZipBomb(t *testing.T) {
	const bombMiB = 256
	stream := deflatedZeros(t, bombMiB)
	if len(stream) > 1<<20 {
		t.Fatalf("bomb is %d bytes compressed; want under 1 MiB", len(stream))
	}
	tests := []struct {
		name     string
		declared uint64
		wantKind error
	}{
		// The header tells the truth: refused by the declared size before reading.
		{name: "truthful header", declared: bombMiB << 20, wantKind: ErrTooLarge},
		// The header claims 1 KiB: reading stops when the data runs past it.
		{name: "lying header", declared: 1 << 10, wantKind: ErrDamaged},
		// The header claims nothing at all.
		{name: "zero size", declared: 0, wantKind: ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := bombXLSX(t, stream, tt.declared)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r, err := Open(path, Options{MaxUnzipBytes: 8 << 20})
			runtime.ReadMemStats(&after)
			if err == nil {
				r.Close()
				t.Fatal("Open accepted a zip bomb")
			}
			asFileError(t, err)
			if !errors.Is(err, tt.wantKind) {
				t.Errorf("error %q is not %v", err, tt.wantKind)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("Open allocated %d MiB refusing a %d MiB bomb", alloc>>20, bombMiB)
			}
		})
	}
}
