package fake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake/contract"
	"github.com/leadstatus/leadstatus/importer/nutshell"
)

const (
	testUser = "me@example.com"
	testKey  = "secret-key"
)

// reply is an answer read in full.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// fixture is a Server behind an httptest server and a client.
type fixture struct {
	t  *testing.T
	s  *Server
	ts *httptest.Server
	c  *http.Client
}

// newFixture serves New(opts), holding every request it gets to Nutshell's
// published OpenAPI: a request the document rejects is answered 400 and
// fails the test. Without credentials in opts the server accepts any,
// testUser and testKey included.
func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	opts.CheckRequest = contract.Hook(t)
	return newLaxFixture(t, opts)
}

// newLaxFixture is newFixture without the contract check, for tests that
// send what the document rejects on purpose, to see the fake's own answer.
func newLaxFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	// A new connection per request: the transport never replays a request
	// on a connection the fake dropped.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	return &fixture{t: t, s: s, ts: ts, c: c}
}

// try sends a request with the given credentials ("" user: none).
func (f *fixture) try(method, path, body, user, key string) (reply, error) {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.ts.URL+path, rd)
	if err != nil {
		f.t.Fatalf("build request: %v", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" || key != "" {
		req.SetBasicAuth(user, key)
	}
	resp, err := f.c.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// do sends a request with the test credentials and fails on a transport error.
func (f *fixture) do(method, path, body string) reply {
	f.t.Helper()
	r, err := f.try(method, path, body, testUser, testKey)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// decode parses a JSON body into a T.
func decode[T any](t *testing.T, r reply) T {
	t.Helper()
	var v T
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json; body %s", ct, r.body)
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

// message is the "message" of a JSON error body.
func message(t *testing.T, r reply) string {
	t.Helper()
	return decode[struct{ Message string }](t, r).Message
}

// wantHTML checks an HTML error page with the title the live service uses.
func wantHTML(t *testing.T, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
	title := "<title>An Error Occurred: " + http.StatusText(status) + "</title>"
	if !strings.Contains(string(r.body), title) {
		t.Errorf("body lacks %s:\n%s", title, r.body)
	}
}

// wantRequestID checks the x-nutshell-request-id header.
func wantRequestID(t *testing.T, r reply) string {
	t.Helper()
	id := r.header.Get("x-nutshell-request-id")
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
		t.Errorf("x-nutshell-request-id = %q, want 32 lowercase hex characters", id)
	}
	return id
}

// leadsBody is the body of the lead endpoints as a client reads it.
type leadsBody struct {
	Meta           listMeta
	Leads          []leadJSON
	ProductMaps    []productMap
	CompetitorMaps []nutshell.CompetitorMap
}
