package nutshell

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"
)

// echoForms are the ways a careless server repeats the request's credentials.
func echoForms(r *http.Request) map[string]string {
	user, key, _ := r.BasicAuth()
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
	return map[string]string{
		"user:key":     user + ":" + key,
		"basic token":  token,
		"authz header": r.Header.Get("Authorization"),
		"key":          key,
		"user":         user,
		"user (upper)": strings.ToUpper(user),
	}
}

// assertRedacted fails when out holds any form of the test credentials,
// the user name included.
func assertRedacted(t *testing.T, what, out string) {
	t.Helper()
	assertNoSecret(t, what, out)
	for _, form := range []string{testUser, strings.ToUpper(testUser), testUser + ":" + testKey.Reveal(),
		base64.RawStdEncoding.EncodeToString([]byte(testUser + ":" + testKey.Reveal()))} {
		if strings.Contains(out, form) {
			t.Errorf("%s shows %q: %s", what, form, out)
		}
	}
}

func TestServerEchoOfCredentialsIsRedacted(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		body   func(form string) string
	}{
		{"JSON message", 422, jsonType, func(f string) string { return fmt.Sprintf(`{"message":"validation failed for %s"}`, f) }},
		{"JSON errors detail", 400, jsonType, func(f string) string { return fmt.Sprintf(`{"errors":[{"detail":"bad auth %s"}]}`, f) }},
		{"HTML title", 500, htmlType, func(f string) string { return "<title>Proxy error for " + f + "</title>" }},
		{"plain text", 502, "text/plain", func(f string) string { return "upstream refused " + f }},
		{"2xx not JSON", 200, htmlType, func(f string) string { return "<title>Login as " + f + "</title>" }},
		{"2xx JSON of the wrong shape", 200, jsonType, func(f string) string { return `"` + f + `"` }},
		{"401", 401, jsonType, func(f string) string { return fmt.Sprintf(`{"error":{"message":"no such key %s"}}`, f) }},
	}
	for _, tt := range tests {
		for form := range echoForms(&http.Request{Header: http.Header{}}) {
			t.Run(tt.name+"/"+form, func(t *testing.T) {
				srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					echo := echoForms(r)[form]
					if echo == "" {
						t.Errorf("the request carried no %s", form)
					}
					w.Header().Set("X-Nutshell-Request-Id", strings.ReplaceAll(echo, " ", ""))
					w.Header().Set("Content-Type", tt.ctype)
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body(echo)))
				}))
				var logs bytes.Buffer
				// The three calls log at once: the buffer takes one line at a time.
				c := newClient(t, srv, func(cfg *Config) { cfg.Log = zerolog.New(zerolog.SyncWriter(&logs)).Level(zerolog.DebugLevel) })
				var g errgroup.Group
				var errs [3]error
				g.Go(func() error {
					_, errs[0] = c.UpdateStatus(context.Background(), "1006-leads", []byte(`{}`))
					return nil
				})
				g.Go(func() error { _, errs[1] = c.Outcomes(context.Background()); return nil })
				g.Go(func() error { errs[2] = c.CheckAuth(context.Background()); return nil })
				_ = g.Wait()
				for i, err := range errs {
					if err == nil {
						t.Fatalf("call %d: no error", i)
					}
					e := asError(t, err)
					assertRedacted(t, "Error()", err.Error())
					assertRedacted(t, "error %+v", fmt.Sprintf("%+v", e))
					if !strings.Contains(err.Error(), "***") && tt.status != 200 {
						t.Errorf("call %d: the echo is not marked as redacted: %s", i, err)
					}
				}
				assertRedacted(t, "debug log", logs.String())
			})
		}
	}
}

func TestRedactKeepsOtherText(t *testing.T) {
	r := newRedactor("Ana@Example.com", "k3y")
	tests := []struct{ in, want string }{
		{"", ""},
		{"Lead 1006-leads is already closed", "Lead 1006-leads is already closed"},
		{"for ana@example.com:k3y here", "for *** here"},
		{"user ANA@EXAMPLE.COM, key k3y", "user ***, key ***"},
		{"token " + base64.StdEncoding.EncodeToString([]byte("Ana@Example.com:k3y")), "token ***"},
		{"escaped Ana%40Example.com", "escaped ***"},
	}
	for _, tt := range tests {
		if got := r(tt.in); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
