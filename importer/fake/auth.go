package fake

import (
	"crypto/subtle"
	"net/http"
)

// access is what a request's credentials allow.
type access int

const (
	denied access = iota
	readWrite
	readOnly
)

// authenticate checks HTTP Basic credentials against the options.
func (s *Server) authenticate(r *http.Request) access {
	user, key, ok := r.BasicAuth()
	if !ok || user == "" || key == "" {
		return denied
	}
	if s.opts.Username != "" && !same(user, s.opts.Username) {
		return denied
	}
	if s.opts.ReadOnlyKey != "" && same(key, s.opts.ReadOnlyKey) {
		return readOnly
	}
	if s.opts.APIKey != "" && !same(key, s.opts.APIKey) {
		return denied
	}
	return readWrite
}

// same compares secrets in constant time.
func same(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
