package source

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"
)

// encryptedStream is the UTF-16LE name of the stream that holds an encrypted
// workbook inside its OLE2 container; an Excel 97-2003 file has none.
const encryptedStream = "E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00"

// openOLE opens an OLE2 file: an encrypted XLSX (with a password) or an
// old .xls, which is refused.
func openOLE(path string, opts Options) (Reader, error) {
	encrypted, size, err := isEncryptedWorkbook(path)
	if err != nil {
		return nil, readErr(path, err)
	}
	if !encrypted {
		return nil, fileErr(path, ErrLegacyXLS, nil, "it is an Excel 97-2003 .xls file; save it as .xlsx or CSV")
	}
	if opts.Password == "" {
		return nil, fileErr(path, ErrEncrypted, nil, "the workbook is encrypted; set LEADSTATUS_XLSX_PASSWORD to its password")
	}
	// Decryption happens in memory, so the container's size is capped like
	// the parts excelize keeps in memory.
	if limit := min(opts.maxUnzipBytes(), maxInMemoryParts); size > limit {
		return nil, tooLarge(path, limit)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, readErr(path, err)
	}
	plain, err := decrypt(raw, opts.Password)
	if err != nil {
		return nil, fileErr(path, ErrWrongPassword, err, "the password in LEADSTATUS_XLSX_PASSWORD does not open the workbook; check the password")
	}
	return openDecrypted(path, plain, opts)
}

// decrypt unwraps an encrypted workbook; excelize panics on some malformed
// containers, which count as a failure to decrypt.
func decrypt(raw []byte, password string) (plain []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			plain, err = nil, fmt.Errorf("decrypt workbook: %v", p)
		}
	}()
	plain, err = excelize.Decrypt(raw, &excelize.Options{Password: password})
	if err == nil && !bytes.HasPrefix(plain, []byte(zipMagic)) {
		// A wrong password decrypts to noise rather than failing.
		err = errors.New("decrypted workbook is not a zip archive")
	}
	return plain, err
}

// isEncryptedWorkbook scans an OLE2 file for the encrypted-package stream.
func isEncryptedWorkbook(path string) (found bool, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return false, 0, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	found, err = contains(bufio.NewReaderSize(f, 64<<10), []byte(encryptedStream))
	return found, size, err
}

// contains reports whether r holds needle, reading it in chunks.
func contains(r io.Reader, needle []byte) (bool, error) {
	buf := make([]byte, 64<<10)
	keep := 0
	for {
		n, err := r.Read(buf[keep:])
		window := buf[:keep+n]
		if bytes.Contains(window, needle) {
			return true, nil
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		keep = min(len(window), len(needle)-1)
		copy(buf, window[len(window)-keep:])
	}
}
