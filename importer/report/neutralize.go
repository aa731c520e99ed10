package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Neutralize makes a cell safe to open in a spreadsheet program (CSV or
// formula injection, OWASP): a cell whose first character is =, +, -, @, tab,
// carriage return or NUL is prefixed with a single quote, which spreadsheets
// take as "this is text" and hide.
//
// Beyond the first character it also covers two ways around that rule:
//   - leading whitespace: " =1+1" is prefixed too, because some importers
//     (LibreOffice's "trim spaces", Google Sheets) strip it before deciding;
//   - a semicolon: Excel in locales whose list separator is ";" splits a
//     comma-separated file at semicolons, so "a;=cmd" would start a new cell
//     with "="; such a semicolon is followed by a quote ("a;'=cmd").
//
// Text without those patterns is returned unchanged (and not copied).
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	dangerousStart := startsDangerous(s)
	if !dangerousStart && !strings.Contains(s, ";") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	if dangerousStart {
		b.WriteByte('\'')
	}
	rest := s
	for {
		i := strings.IndexByte(rest, ';')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i+1])
		rest = rest[i+1:]
		if startsDangerous(rest) {
			b.WriteByte('\'')
		}
	}
	return b.String()
}

// startsDangerous reports whether s, after any leading whitespace, starts with
// a character that makes a spreadsheet read the cell as a formula. Tab and
// carriage return count even as whitespace: a cell that starts with either is
// itself on OWASP's list.
func startsDangerous(s string) bool {
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		switch r {
		case '=', '+', '-', '@', '\t', '\r', 0:
			return true
		}
		if !unicode.IsSpace(r) {
			return false
		}
		s = s[size:]
	}
	return false
}

// unneutralize undoes Neutralize's leading quote, for values read back from a
// report (a quote before a character Neutralize would have quoted).
func unneutralize(s string) string {
	if len(s) > 1 && s[0] == '\'' && startsDangerous(s[1:]) {
		return s[1:]
	}
	return s
}
