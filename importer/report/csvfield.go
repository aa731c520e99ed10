package report

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cellClass classifies each byte value for appendCell, as bit flags:
//
//	quoteByte      , " \r \n: encoding/csv quotes the field
//	semicolonByte  ;: Neutralize looks at what follows
//	firstByteCheck as a first byte: space, control, formula sign (= + - @) or
//	               not ASCII; the cell may need neutralising or quoting
//
// TestCellClass checks every entry against these rules.
const cellClass = "\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x05\x04\x04\x05\x04\x04" +
	"\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04" +
	"\x04\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x04\x01\x04\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x04\x00\x00" +
	"\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04" +
	"\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04" +
	"\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04" +
	"\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04" +
	"\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04" +
	"\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04" +
	"\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04" +
	"\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04\x04"

const (
	quoteByte      = 1
	semicolonByte  = 2
	firstByteCheck = 4
)

// appendCell appends s as Neutralize(s) written by encoding/csv's Writer
// (comma-separated, LF line ends): byte for byte the same, without the
// allocations of either for the usual cell that needs no change.
func appendCell(dst []byte, s string) []byte {
	if s == "" {
		return dst
	}
	first := cellClass[s[0]]&firstByteCheck != 0
	var flags byte
	for i := 0; i < len(s); i++ {
		flags |= cellClass[s[i]]
	}
	if flags&semicolonByte != 0 || first && startsDangerous(s) {
		return appendCSVField(dst, Neutralize(s))
	}
	if flags&quoteByte != 0 || first && startsWithSpace(s) || s == `\.` {
		return appendQuoted(dst, s)
	}
	return append(dst, s...)
}

// appendCSVField appends s as encoding/csv's Writer writes one field with
// Comma ',' and UseCRLF false.
func appendCSVField(dst []byte, s string) []byte {
	if !fieldNeedsQuotes(s) {
		return append(dst, s...)
	}
	return appendQuoted(dst, s)
}

// fieldNeedsQuotes is encoding/csv's rule: a field with a comma, a quote, a
// carriage return or a line feed, one that starts with white space, and the
// PostgreSQL end-of-data marker `\.` are quoted; the empty field is not.
func fieldNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	return s == `\.` || strings.ContainsAny(s, ",\"\r\n") || startsWithSpace(s)
}

// startsWithSpace reports whether the first rune of s is white space.
func startsWithSpace(s string) bool {
	if s == "" {
		return false
	}
	if c := s[0]; c < utf8.RuneSelf {
		return c == ' ' || ('\t' <= c && c <= '\r')
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// appendQuoted appends s in double quotes, doubling the quotes inside; line
// breaks are kept as they are.
func appendQuoted(dst []byte, s string) []byte {
	n := len(dst)
	dst = slices.Grow(dst, 2*len(s)+2) // every byte a quote, at worst
	b := dst[:n+2*len(s)+2]
	b[n] = '"'
	j := n + 1
	for i := 0; i < len(s); i++ {
		c := s[i]
		b[j] = c
		j++
		if c == '"' {
			b[j] = '"'
			j++
		}
	}
	b[j] = '"'
	return b[:j+1]
}
