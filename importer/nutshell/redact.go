package nutshell

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// redactor replaces the credentials in text that came from a server: a
// server or proxy may repeat the request's user name, key or Authorization
// header in its error text, and that text is printed, logged and written to
// reports.
// It is a closure rather than a struct of strings, so printing a Client with
// %+v cannot show what it hides.
type redactor func(string) string

// newRedactor returns a redactor for user and key: each of them, user:key,
// its Basic token (padded and not), and their URL-escaped forms.
func newRedactor(user, key string) redactor {
	pair := user + ":" + key
	cands := []string{
		pair,
		base64.StdEncoding.EncodeToString([]byte(pair)),
		base64.RawStdEncoding.EncodeToString([]byte(pair)),
		base64.URLEncoding.EncodeToString([]byte(pair)),
		key, url.QueryEscape(key), url.PathEscape(key),
		user, url.QueryEscape(user), url.PathEscape(user),
	}
	seen := make(map[string]bool, len(cands))
	var secrets []string // longest first, so "user:key" goes before "user"
	for _, s := range cands {
		if s != "" && !seen[s] {
			seen[s] = true
			secrets = append(secrets, s)
		}
	}
	sort.SliceStable(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	// Every credential is replaced by "***", matched without regard to ASCII
	// case, as e-mail addresses are.
	return func(s string) string {
		for _, secret := range secrets {
			s = replaceFold(s, secret)
		}
		return s
	}
}

// replaceFold replaces every occurrence of old in s, matched without regard
// to ASCII case, by the redaction mark. Case-folding only ASCII keeps byte
// offsets of s and its lowered copy the same.
func replaceFold(s, old string) string {
	lower, lold := asciiLowerString(s), asciiLowerString(old)
	if !strings.Contains(lower, lold) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lold)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(redacted)
		s, lower = s[i+len(old):], lower[i+len(old):]
	}
}

func asciiLowerString(s string) string { return string(asciiLower([]byte(s))) }

// scrub removes credentials from every server-supplied text of e.
func (r redactor) scrub(e *Error) *Error {
	if e != nil {
		e.Message = r(e.Message)
		e.RequestID = r(e.RequestID)
	}
	return e
}

// Redact returns s with this client's user name, API key and Basic token
// replaced by "***", for any text that came from the server.
func (c *Client) Redact(s string) string { return c.redactor(s) }
