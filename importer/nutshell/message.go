package nutshell

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxMessage bounds the characters of body text an Error carries.
const maxMessage = 300

// bodyMessage returns short human text for an error answer: a JSON body's
// message, an HTML page's title or first heading, short plain text, or else
// the status text. It never returns markup.
func bodyMessage(contentType string, body []byte, status int) string {
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
	case body[0] == '{' || body[0] == '[':
		if m := jsonMessage(body); m != "" {
			return m
		}
	case isHTML(contentType, body):
		if m := htmlText(body); m != "" {
			return m
		}
	default:
		if m := plainText(body); m != "" {
			return m
		}
	}
	return statusText(status)
}

// statusText is the fallback message when the body says nothing usable.
func statusText(status int) string {
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "no explanation given"
}

// jsonMessage finds "message", "error" (a string or an object with a
// message) or "errors[0].detail" in a JSON body.
func jsonMessage(body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return ""
	}
	return textOf(v, 0)
}

// textOf digs a message out of decoded JSON, a few levels deep at most.
func textOf(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch t := v.(type) {
	case string:
		return clean(t)
	case []any:
		if len(t) > 0 {
			return textOf(t[0], depth+1)
		}
	case map[string]any:
		for _, key := range []string{"message", "error", "errors", "detail", "title"} {
			if m := textOf(t[key], depth+1); m != "" {
				return m
			}
		}
	}
	return ""
}

// isHTML reports whether the body is markup, by its declared type or its
// first character, since error pages are not always labelled.
func isHTML(contentType string, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return strings.Contains(mt, "html") || strings.Contains(mt, "xml") || (len(body) > 0 && body[0] == '<')
}

// htmlText returns the page's <title>, else its first <h1>, as plain text.
func htmlText(body []byte) string {
	for _, tag := range []string{"title", "h1"} {
		if inner, ok := element(body, tag); ok {
			if t := clean(html.UnescapeString(stripTags(inner))); t != "" {
				return t
			}
		}
	}
	return ""
}

// element returns the content of the first <tag …>…</tag>, matched without
// regard to case.
func element(body []byte, tag string) (string, bool) {
	lower := asciiLower(body)
	start := indexTag(lower, "<"+tag)
	if start < 0 {
		return "", false
	}
	gt := bytes.IndexByte(lower[start:], '>')
	if gt < 0 {
		return "", false
	}
	from := start + gt + 1
	end := bytes.Index(lower[from:], []byte("</"+tag))
	if end < 0 {
		return "", false
	}
	return string(body[from : from+end]), true
}

// indexTag finds "<tag" followed by '>' or a space, so "<h1" does not match "<h10".
func indexTag(lower []byte, open string) int {
	off := 0
	for {
		i := bytes.Index(lower[off:], []byte(open))
		if i < 0 {
			return -1
		}
		next := off + i + len(open)
		if next < len(lower) && (lower[next] == '>' || lower[next] == '/' || isSpace(lower[next])) {
			return off + i
		}
		off = next
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' }

// asciiLower lowers ASCII letters only, so byte offsets stay those of the original.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// stripTags drops anything between '<' and '>'.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plainText returns a short text body, or "" when it is binary or markup.
func plainText(body []byte) string {
	if !utf8.Valid(body) || bytes.ContainsAny(body, "<>") {
		return ""
	}
	for _, r := range string(body) {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return ""
		}
	}
	return clean(string(body))
}

// clean collapses whitespace, drops control and invalid characters, and cuts
// the text to maxMessage characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxMessage {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:maxMessage-1])) + "…"
	}
	return s
}

// describeBody names what a success answer held instead of JSON.
func describeBody(contentType string, body []byte) string {
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
		return "an empty answer"
	case isHTML(contentType, body):
		if t := htmlText(body); t != "" {
			return fmt.Sprintf("an HTML page titled %q", t)
		}
		return "an HTML page"
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "" {
		return "an answer that is not JSON"
	}
	return fmt.Sprintf("an answer of type %s that is not valid JSON", mt)
}
