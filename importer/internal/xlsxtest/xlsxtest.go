// Package xlsxtest edits workbooks for tests. A workbook is a zip of XML
// parts; a test that needs what excelize will not write (raw cell XML, a
// forged part size) rewrites a part of one excelize did write.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// Rewrite returns a copy of the zip at src in which write makes the parts it
// returns true for (writing them to zw itself); every other part is copied
// as it is.
func Rewrite(t testing.TB, src string, write func(zw *zip.Writer, zf *zip.File) bool) []byte {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		if write(zw, zf) {
			continue
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(w, rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ReplaceParts returns a copy of the zip at src with the contents of the
// parts named in parts replaced.
func ReplaceParts(t testing.TB, src string, parts map[string]string) []byte {
	t.Helper()
	return Rewrite(t, src, func(zw *zip.Writer, zf *zip.File) bool {
		body, ok := parts[zf.Name]
		if !ok {
			return false
		}
		w, err := zw.Create(zf.Name)
		if err == nil {
			_, err = io.WriteString(w, body)
		}
		if err != nil {
			t.Fatal(err)
		}
		return true
	})
}
