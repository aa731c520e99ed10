package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/nutshell"
)

const (
	testUser = "me@example.com"
	testKey  = "sekrit-api-key-4711"
)

// testServer is a Server on a real loopback listener that tests call
// through its handler, as a browser on this machine would.
type testServer struct {
	*Server
	host   string // 127.0.0.1:PORT
	cookie *http.Cookie
	logs   *bytes.Buffer
	t      *testing.T
}

func newTestServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	logs := &bytes.Buffer{}
	cfg.Log = zerolog.New(logs)
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	if cfg.TempDir == "" {
		cfg.TempDir = t.TempDir()
	}
	// The page's runs go at the tool's default pace, with its slow start;
	// these tests are about what the page asks and shows, so they go fast.
	if cfg.Run == nil {
		cfg.Run = func(ctx context.Context, o importer.Options) (*importer.Summary, error) {
			o.Rate, o.StartRate = 1000, 1000
			return importer.Run(ctx, o)
		}
	}
	if cfg.Undo == nil {
		cfg.Undo = func(ctx context.Context, o importer.UndoOptions) (*importer.Summary, error) {
			o.Rate, o.StartRate = 1000, 1000
			return importer.Undo(ctx, o)
		}
	}
	s, err := New(context.Background(), ln, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.mu.Lock()
		s.sess.stopRun()
		s.mu.Unlock()
		s.wg.Wait()
		s.Close()
	})
	return &testServer{Server: s, host: ln.Addr().String(), logs: logs, t: t}
}

// fakeClient serves a fake Nutshell that accepts only testUser and testKey.
func fakeClient(t *testing.T, o fake.Options) (*nutshell.Client, string) {
	t.Helper()
	o.Username, o.APIKey = testUser, testKey
	ts := httptest.NewServer(fake.New(o))
	t.Cleanup(ts.Close)
	c, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: testUser, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	return c, ts.URL + "/rest"
}

// do sends a request with the session cookie (once signed in), the right
// Host and, for changes, the page's Origin.
func (ts *testServer) do(method, path string, body io.Reader, contentType string) *httptest.ResponseRecorder {
	ts.t.Helper()
	r := httptest.NewRequest(method, path, body)
	r.Host = ts.host
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet {
		r.Header.Set("Origin", "http://"+ts.host)
	}
	if ts.cookie != nil {
		r.AddCookie(ts.cookie)
	}
	w := httptest.NewRecorder()
	ts.handler.ServeHTTP(w, r)
	return w
}

// signIn redeems the one-time token as the browser does.
func (ts *testServer) signIn() {
	ts.t.Helper()
	w := ts.do(http.MethodGet, tokenPath(ts.URL()), nil, "")
	if w.Code != http.StatusSeeOther {
		ts.t.Fatalf("token: %d %s", w.Code, w.Body)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == ts.Server.cookie {
			ts.cookie = c
		}
	}
	if ts.cookie == nil {
		ts.t.Fatal("no session cookie")
	}
}

func tokenPath(url string) string { return url[strings.Index(url, "/?"):] }

func (ts *testServer) postJSON(path string, v any) *httptest.ResponseRecorder {
	b, _ := json.Marshal(v)
	return ts.do(http.MethodPost, path, bytes.NewReader(b), "application/json")
}

func (ts *testServer) upload(name string, data []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	return ts.do(http.MethodPost, "/api/file", &body, mw.FormDataContentType())
}

// wait polls a run until it finishes and returns its view.
func (ts *testServer) wait(id int) jobView {
	ts.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var v jobView
		w := ts.do(http.MethodGet, "/api/jobs/"+itoa(id), nil, "")
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			ts.t.Fatalf("job %d: %s", id, w.Body)
		}
		if !v.Running {
			return v
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.t.Fatalf("job %d did not finish", id)
	return jobView{}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func startJob(t *testing.T, w *httptest.ResponseRecorder) int {
	t.Helper()
	if w.Code != http.StatusAccepted {
		t.Fatalf("start: %d %s", w.Code, w.Body)
	}
	var v jobView
	json.Unmarshal(w.Body.Bytes(), &v)
	return v.ID
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestListenLoopbackOnly(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		// IPv4 loopback with a free port.
		{"127.0.0.1:0", true},
		// localhost, checked after binding.
		{"localhost:0", true},
		// Every interface: refused.
		{"0.0.0.0:0", false},
		// An empty host also means every interface.
		{":0", false},
		// Another machine's address.
		{"192.0.2.1:8080", false},
		// A host name that is not localhost.
		{"example.com:0", false},
	}
	for _, tt := range tests {
		ln, err := Listen(tt.addr)
		if ln != nil {
			ln.Close()
		}
		if tt.ok && err != nil {
			t.Errorf("Listen(%q): %v", tt.addr, err)
		}
		if !tt.ok && !errors.Is(err, ErrNotLoopback) {
			t.Errorf("Listen(%q) = %v, want ErrNotLoopback", tt.addr, err)
		}
	}
	// A listener made elsewhere on every interface is refused too.
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := New(context.Background(), ln, Config{TempDir: t.TempDir()}); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("New on 0.0.0.0: %v, want ErrNotLoopback", err)
	}
}

func TestTokenAndCookie(t *testing.T) {
	ts := newTestServer(t, Config{Mock: true})
	// Without the token or cookie, nothing is served.
	for _, path := range []string{"/", "/api/state", "/static/app.js", "/?token=wrong"} {
		if w := ts.do(http.MethodGet, path, nil, ""); w.Code != http.StatusForbidden {
			t.Errorf("GET %s without a session: %d, want 403", path, w.Code)
		}
	}
	w := ts.do(http.MethodGet, tokenPath(ts.URL()), nil, "")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/" {
		t.Fatalf("token: %d %q, want a redirect to / that drops the token", w.Code, w.Header().Get("Location"))
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode || cookies[0].Value == "" {
		t.Fatalf("cookie %+v: want one HttpOnly SameSite=Strict session cookie", cookies)
	}
	ts.cookie = cookies[0]
	// The token works once: a second browser with it gets nothing.
	second := &testServer{Server: ts.Server, host: ts.host, t: t}
	if w := second.do(http.MethodGet, tokenPath(ts.URL()), nil, ""); w.Code != http.StatusForbidden || len(w.Result().Cookies()) != 0 {
		t.Errorf("token reused: %d, cookies %v; want 403 and no cookie", w.Code, w.Result().Cookies())
	}
	// A made-up cookie is refused.
	second.cookie = &http.Cookie{Name: second.Server.cookie, Value: strings.Repeat("0", 48)}
	if w := second.do(http.MethodGet, "/api/state", nil, ""); w.Code != http.StatusForbidden {
		t.Errorf("forged cookie: %d, want 403", w.Code)
	}
	// With the cookie: the page, under a strict policy.
	w = ts.do(http.MethodGet, "/", nil, "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "/static/app.js") {
		t.Fatalf("page: %d", w.Code)
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	// The page loads nothing from elsewhere and has no inline script or style.
	for _, name := range []string{"static/index.html", "static/app.js", "static/app.css"} {
		b, _ := staticFiles.ReadFile(name)
		for _, bad := range []string{"http://", "https://", "<script>", "style=", "<style", "onclick=", "onload="} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}

func TestHostHeader(t *testing.T) {
	ts := newTestServer(t, Config{Mock: true})
	ts.signIn()
	_, port, _ := net.SplitHostPort(ts.host)
	tests := []struct {
		host string
		want int
	}{
		// The address printed.
		{"127.0.0.1:" + port, http.StatusOK},
		// localhost with the server's port.
		{"localhost:" + port, http.StatusOK},
		// IPv6 loopback with the server's port.
		{"[::1]:" + port, http.StatusOK},
		// DNS rebinding: an attacker's name resolving to 127.0.0.1.
		{"evil.example:" + port, http.StatusMisdirectedRequest},
		// The right host, another port.
		{"127.0.0.1:1", http.StatusMisdirectedRequest},
		// No port at all.
		{"localhost", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/api/state", nil)
		r.Host = tt.host
		r.AddCookie(ts.cookie)
		w := httptest.NewRecorder()
		ts.handler.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("Host %q: %d, want %d", tt.host, w.Code, tt.want)
		}
	}
	// The Host check comes before the token: a rebound page cannot redeem it.
	r := httptest.NewRequest(http.MethodGet, tokenPath(ts.URL()), nil)
	r.Host = "evil.example:" + port
	w := httptest.NewRecorder()
	ts.handler.ServeHTTP(w, r)
	if w.Code != http.StatusMisdirectedRequest || len(w.Result().Cookies()) != 0 {
		t.Errorf("token under a foreign Host: %d", w.Code)
	}
}

func TestOriginOnChanges(t *testing.T) {
	ts := newTestServer(t, Config{Mock: true})
	ts.signIn()
	_, port, _ := net.SplitHostPort(ts.host)
	tests := []struct {
		origin string
		want   int
	}{
		// No Origin: refused.
		{"", http.StatusForbidden},
		// Another site.
		{"http://evil.example", http.StatusForbidden},
		// The right host and port over another scheme.
		{"https://" + ts.host, http.StatusForbidden},
		// Another local port (another program's page).
		{"http://127.0.0.1:1", http.StatusForbidden},
		// A sandboxed frame.
		{"null", http.StatusForbidden},
		// The page itself, by either name: accepted (then refused for want of a file).
		{"http://" + ts.host, http.StatusConflict},
		{"http://localhost:" + port, http.StatusConflict},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodPost, "/api/check", nil)
		r.Host = ts.host
		r.AddCookie(ts.cookie)
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		w := httptest.NewRecorder()
		ts.handler.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("Origin %q: %d %s, want %d", tt.origin, w.Code, w.Body, tt.want)
		}
	}
}

func TestUploadLimit(t *testing.T) {
	ts := newTestServer(t, Config{Mock: true, MaxUpload: 1024})
	ts.signIn()
	big := append([]byte("lead_id,outcome\n"), bytes.Repeat([]byte("1,Won\n"), 400)...)
	w := ts.upload("big.csv", big)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "larger than the page accepts") {
		t.Fatalf("big upload: %d %s", w.Code, w.Body)
	}
	// Nothing of it is kept.
	entries, _ := os.ReadDir(ts.uploads)
	if len(entries) != 0 {
		t.Errorf("upload folder keeps %d entries after a refused upload", len(entries))
	}
	// A file within the limit is read.
	if w := ts.upload("small.csv", []byte("lead_id,outcome\n1,Won\n")); w.Code != http.StatusOK {
		t.Errorf("small upload: %d %s", w.Code, w.Body)
	}
	// The folder is private and goes away on Close.
	st, err := os.Stat(ts.uploads)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("upload folder: %v %v, want mode 0700", st.Mode(), err)
	}
	ts.Close()
	if _, err := os.Stat(ts.uploads); !os.IsNotExist(err) {
		t.Errorf("upload folder still there after Close: %v", err)
	}
}

func TestKeyNeverInAResponse(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		_, base := fakeClient(t, withKind(fake.Options{}, kind))
		ts := newTestServer(t, Config{NewClient: func(user string, key nutshell.Secret) (*nutshell.Client, error) {
			return nutshell.New(nutshell.Config{BaseURL: base, Username: user, APIKey: key})
		}})
		ts.signIn()
		var seen bytes.Buffer
		record := func(w *httptest.ResponseRecorder) *httptest.ResponseRecorder {
			seen.Write(w.Body.Bytes())
			for k, v := range w.Header() {
				seen.WriteString(k + strings.Join(v, ""))
			}
			return w
		}
		// Not signed in: the page says so.
		var st stateView
		json.Unmarshal(record(ts.do(http.MethodGet, "/api/state", nil, "")).Body.Bytes(), &st)
		if st.SignedIn {
			t.Fatal("signed in without credentials")
		}
		// A wrong key is refused, and the answer does not repeat it.
		if w := record(ts.postJSON("/api/credentials", credentials{Username: testUser, APIKey: "wrong-" + testKey})); w.Code != http.StatusBadRequest {
			t.Fatalf("wrong key: %d %s", w.Code, w.Body)
		}
		if w := record(ts.postJSON("/api/credentials", credentials{Username: testUser, APIKey: testKey})); w.Code != http.StatusOK {
			t.Fatalf("sign in: %d %s", w.Code, w.Body)
		}
		json.Unmarshal(record(ts.do(http.MethodGet, "/api/state", nil, "")).Body.Bytes(), &st)
		if !st.SignedIn || st.User != testUser {
			t.Fatalf("state after sign-in: %+v", st)
		}
		record(ts.upload("quarter-end.csv", sample(t, "quarter-end.csv")))
		check := ts.wait(startJob(t, record(ts.do(http.MethodPost, "/api/check", nil, ""))))
		send := ts.wait(startJob(t, record(ts.postJSON("/api/send", sendRequest{Format: "csv"}))))
		if send.Summary == nil || send.Summary.Results["succeeded"] != 50 || check.Updates != 50 {
			t.Fatalf("check %+v, send %+v", check, send)
		}
		record(ts.do(http.MethodGet, "/api/jobs/"+itoa(send.ID)+"/report", nil, ""))
		record(ts.do(http.MethodGet, "/api/jobs/"+itoa(send.ID)+"/rows", nil, ""))
		record(ts.do(http.MethodGet, "/api/state", nil, ""))
		for _, where := range []struct {
			name string
			text string
		}{{"responses", seen.String()}, {"log", ts.logs.String()}} {
			if strings.Contains(where.text, testKey) {
				t.Errorf("the API key appears in the %s", where.name)
			}
		}
		if !strings.Contains(seen.String(), testUser) {
			t.Error("the responses were not recorded (the user's e-mail is missing too)")
		}
		// Nor is it written to the report folder.
		filepath.WalkDir(ts.cfg.Dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(testKey)) {
					t.Errorf("the API key is written to %s", path)
				}
			}
			return nil
		})
	})
}
