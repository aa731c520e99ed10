package mapping

import (
	"unicode"
	"unicode/utf8"
)

// appendNameKey appends the comparison form of a name to buf: lower-cased,
// inner runs of spaces collapsed to one, trimmed. Names in cells, in the
// mapping file's values and in catalogues all compare in this form.
func appendNameKey(buf []byte, s string) []byte {
	space := false
	start := len(buf)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
				space = true
				continue
			}
			if space && len(buf) > start {
				buf = append(buf, ' ')
			}
			space = false
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && len(buf) > start {
			buf = append(buf, ' ')
		}
		space = false
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
	}
	return buf
}

// nameKey returns the comparison form of a name.
func nameKey(s string) string { return string(appendNameKey(nil, s)) }
