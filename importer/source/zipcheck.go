package source

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"strings"
)

// xmlSpillBytes is excelize's UnzipXMLSizeLimit: worksheets and shared
// strings larger than this go to temporary files instead of memory.
const xmlSpillBytes = 1 << 20

// checkWorkbookZip looks at a workbook's zip archive before excelize does.
// excelize sums the sizes the archive declares, then reads each part and
// ignores read errors, so a part that lies about its size is silently cut
// short (or a damaged one silently garbled). Reading every part once here,
// through archive/zip's size and checksum checks, turns both into an error
// with bounded memory, and refuses bombs by their declared size first.
//
// On the way it learns the merge list of each XML part, by its name in the
// zip, so the sheet that is read needs no pass of its own for it.
func checkWorkbookZip(name string, zr *zip.Reader, limit int64) (map[string]*mergeState, *FileError) {
	var total, inMemory uint64
	workbook := false
	for _, zf := range zr.File {
		size := zf.UncompressedSize64
		if size > uint64(limit) || total+size > uint64(limit) {
			return nil, tooLarge(name, limit)
		}
		total += size
		part := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		if part == "xl/workbook.bin" {
			return nil, fileErr(name, ErrUnsupported, nil, "it is an Excel binary workbook (.xlsb); save it as .xlsx or CSV")
		}
		base := path.Base(part)
		if strings.HasPrefix(base, "workbook") && strings.HasSuffix(base, ".xml") || strings.Contains(part, "worksheets/") {
			workbook = true
		}
		spilled := size > xmlSpillBytes &&
			(strings.HasPrefix(part, "xl/worksheets/sheet") || part == "xl/sharedstrings.xml")
		if !spilled {
			inMemory += size
		}
	}
	if !workbook {
		return nil, fileErr(name, ErrUnsupported, nil, "it is a zip archive, not an XLSX workbook; export the data as CSV or XLSX")
	}
	if inMemory > maxInMemoryParts {
		return nil, fileErr(name, ErrTooLarge, nil, fmt.Sprintf("the workbook holds more than %d MiB of images or other parts besides its sheets; save a copy with only the data and use that", maxInMemoryParts>>20))
	}
	merges := map[string]*mergeState{}
	for _, zf := range zr.File {
		var w io.Writer = io.Discard
		var m *mergeScanner
		if strings.HasSuffix(strings.ToLower(zf.Name), ".xml") {
			m = &mergeScanner{}
			w = m
		}
		if err := readPart(zf, w); err != nil {
			return nil, damaged(name, err)
		}
		if m != nil {
			merges[zf.Name] = m.state()
		}
	}
	return merges, nil
}

// readPart decompresses one part into w, checking its declared size and
// checksum.
func readPart(zf *zip.File, w io.Writer) error {
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("open %s: %w", zf.Name, err)
	}
	defer rc.Close()
	if _, err := io.Copy(w, rc); err != nil {
		return fmt.Errorf("read %s: %w", zf.Name, err)
	}
	return nil
}

func tooLarge(name string, limit int64) *FileError {
	return fileErr(name, ErrTooLarge, nil, fmt.Sprintf("the workbook unpacks to more than %s, so it is damaged or not a real workbook; re-save it in Excel or export it as CSV", sizeText(limit)))
}

// sizeText renders a byte count for messages.
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func damaged(name string, cause error) *FileError {
	return fileErr(name, ErrDamaged, cause, "the workbook is damaged or incomplete; open it in Excel, save it again and retry")
}
