package source

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// utf16BOM returns the UTF-16 byte order the prefix's BOM names, if any.
func utf16BOM(prefix []byte) (encoding, bool) {
	switch {
	case bytes.HasPrefix(prefix, []byte{0xFF, 0xFE}):
		return encUTF16LE, true
	case bytes.HasPrefix(prefix, []byte{0xFE, 0xFF}):
		return encUTF16BE, true
	}
	return encDetect, false
}

// utf16Guess recognises UTF-16 text without a BOM: mostly-Latin text has a
// NUL in nearly every high byte and almost none in the low bytes.
func utf16Guess(prefix []byte) encoding {
	window := prefix[:min(len(prefix), binaryWindow)&^1]
	if len(window) < 4 {
		return encDetect
	}
	var evenNUL, oddNUL int
	for i := 0; i < len(window); i += 2 {
		if window[i] == 0 {
			evenNUL++
		}
		if window[i+1] == 0 {
			oddNUL++
		}
	}
	half := len(window) / 2
	switch {
	case oddNUL*10 >= half*7 && evenNUL*20 <= half:
		return encUTF16LE
	case evenNUL*10 >= half*7 && oddNUL*20 <= half:
		return encUTF16BE
	}
	return encDetect
}

// detectEncoding decides a text file's encoding from its first bytes. It
// reports fallback when the prefix is not UTF-8 and is read as Windows-1252.
func detectEncoding(prefix []byte, atEOF bool) (enc encoding, fallback bool) {
	if bytes.HasPrefix(prefix, []byte(utf8BOM)) {
		return encUTF8, false
	}
	if enc, ok := utf16BOM(prefix); ok {
		return enc, false
	}
	if enc := utf16Guess(prefix); enc != encDetect {
		return enc, false
	}
	if utf8.Valid(trimPartialRune(prefix, atEOF)) {
		return encUTF8, false
	}
	return encWindows1252, true
}

// trimPartialRune drops a UTF-8 sequence cut off at the end of a prefix.
func trimPartialRune(p []byte, atEOF bool) []byte {
	if atEOF {
		return p
	}
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				return p[:i]
			}
			break
		}
	}
	return p
}

// decoder returns r decoded to UTF-8.
func decoder(enc encoding, r io.Reader) io.Reader {
	switch enc {
	case encUTF16LE:
		return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
	case encUTF16BE:
		return transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder())
	case encWindows1252:
		return transform.NewReader(r, charmap.Windows1252.NewDecoder())
	}
	return r
}

// crToLF turns classic Mac line ends (a lone CR) into LF for encoding/csv.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
