// Package ui serves leadstatus's local page: a thin view over the same
// import, check, resume and undo code the command line runs. It listens on
// loopback only, lets in one browser through a one-time token, and keeps
// uploads in a private folder removed when it stops.
package ui

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/nutshell"
)

//go:embed static
var staticFiles embed.FS

// DefaultMaxUpload caps one uploaded file (input or mapping).
const DefaultMaxUpload = 64 << 20

// ConfirmOver is the number of updates above which sending needs the number typed.
const ConfirmOver = 100

// cookiePrefix starts the session cookie's name; the port ends it, so two
// pages on two ports (cookies ignore ports) keep their own sessions.
const cookiePrefix = "leadstatus_session_"

// Config is what the page needs; the command line fills it.
type Config struct {
	// Dir is where reports are written (and so where the CLI finds them for
	// undo and resume later).
	Dir string
	// Client talks to Nutshell: from the environment or the built-in fake.
	// Nil means the page asks for an e-mail and API key.
	Client *nutshell.Client
	// NewClient builds a client from credentials typed into the page.
	NewClient func(user string, key nutshell.Secret) (*nutshell.Client, error)
	// Mock says the client is the built-in fake (shown on the page).
	Mock bool
	// ResumeCommand is the command line that sends what a run left, as the
	// CLI prints it, given the equivalent import arguments (without "import").
	ResumeCommand func(input, report string, args []string) string
	// XLSXPassword opens encrypted workbooks (LEADSTATUS_XLSX_PASSWORD).
	XLSXPassword string
	// Log receives the runs' log lines (the terminal); never a secret.
	Log zerolog.Logger
	Now func() time.Time
	// MaxUpload caps one uploaded file in bytes; 0 means DefaultMaxUpload.
	MaxUpload int64
	// TempDir is where the private upload folder is made; "" = os.TempDir().
	TempDir string
	// Run and Undo run an import and an undo; nil means importer.Run and
	// importer.Undo (tests give recorders).
	Run  func(context.Context, importer.Options) (*importer.Summary, error)
	Undo func(context.Context, importer.UndoOptions) (*importer.Summary, error)
}

// Server is the local page's HTTP server.
type Server struct {
	cfg     Config
	ln      net.Listener
	hosts   map[string]bool // Host headers accepted
	uploads string          // private folder for uploaded copies
	handler http.Handler

	// stop ends every run's dispatching (the Stop button and Ctrl-C);
	// ctx cancels requests in flight.
	ctx context.Context
	wg  sync.WaitGroup // runs in progress

	cookie string        // the session cookie's name
	quit   chan struct{} // closed when the server stops: event streams end

	mu        sync.Mutex
	token     string // one-time; "" once used
	sessionID string // the cookie's value once the token is used
	sess      *session
	stopping  bool
}

// ErrNotLoopback is returned for an address other than a loopback one: the
// page holds API credentials and must not be reachable from other machines.
var ErrNotLoopback = errors.New("the page serves only on a loopback address such as 127.0.0.1:0")

// Listen opens addr, refusing any address that is not loopback.
func Listen(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("--addr %q: %w", addr, ErrNotLoopback)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	// "localhost" could resolve to something odd: check what was bound.
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("--addr %q bound %s: %w", addr, ln.Addr(), ErrNotLoopback)
	}
	return ln, nil
}

// New makes a server on ln (from Listen) and its private upload folder.
// ctx cancels requests in flight to Nutshell; Close removes the folder.
func New(ctx context.Context, ln net.Listener, cfg Config) (*Server, error) {
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !tcp.IP.IsLoopback() {
		return nil, ErrNotLoopback
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.Dir == "" {
		cfg.Dir = "."
	}
	if cfg.Run == nil {
		cfg.Run = importer.Run
	}
	if cfg.Undo == nil {
		cfg.Undo = importer.Undo
	}
	port := fmt.Sprint(tcp.Port)
	uploads, err := os.MkdirTemp(cfg.TempDir, "leadstatus-ui-")
	if err != nil {
		return nil, fmt.Errorf("make a private folder for uploads: %w", err)
	}
	if err := os.Chmod(uploads, 0o700); err != nil {
		os.RemoveAll(uploads)
		return nil, fmt.Errorf("make a private folder for uploads: %w", err)
	}
	s := &Server{
		cfg:     cfg,
		ln:      ln,
		ctx:     ctx,
		uploads: uploads,
		cookie:  cookiePrefix + port,
		quit:    make(chan struct{}),
		token:   randomHex(),
		hosts: map[string]bool{
			"127.0.0.1:" + port: true,
			"localhost:" + port: true,
			"[::1]:" + port:     true,
		},
		sess: &session{client: cfg.Client},
	}
	s.handler = s.routes()
	return s, nil
}

// URL is the address to open, with the one-time token.
func (s *Server) URL() string {
	return "http://" + s.ln.Addr().String() + "/?token=" + s.token
}

// Serve serves until stop is done: then it stops any run as the first Ctrl-C
// does, waits for its report to be complete, and removes the uploads.
func (s *Server) Serve(stop context.Context) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(s.ln) }()
	var err error
	select {
	case err = <-served:
	case <-stop.Done():
	}
	s.mu.Lock()
	s.stopping = true
	s.sess.stopRun()
	s.mu.Unlock()
	s.wg.Wait()
	close(s.quit) // after the runs, so the page sees their end first
	sctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), time.Second)
	defer cancel()
	if srv.Shutdown(sctx) != nil {
		_ = srv.Close() // event streams stay open until closed
	}
	if cerr := s.Close(); err == nil || errors.Is(err, http.ErrServerClosed) {
		err = cerr
	}
	return err
}

// Close removes the uploaded copies.
func (s *Server) Close() error {
	if err := os.RemoveAll(s.uploads); err != nil {
		return fmt.Errorf("remove the uploaded copies in %s: %w", s.uploads, err)
	}
	return nil
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	files := http.FileServerFS(static)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, static, "index.html")
	})
	mux.Handle("GET /static/", http.StripPrefix("/static/", files))
	mux.HandleFunc("GET /api/state", s.handleState)
	mux.HandleFunc("POST /api/credentials", s.handleCredentials)
	mux.HandleFunc("POST /api/signout", s.handleSignOut)
	mux.HandleFunc("POST /api/file", s.handleFile)
	mux.HandleFunc("POST /api/mapping", s.handleMapping)
	mux.HandleFunc("GET /api/mapping", s.handleMappingDownload)
	mux.HandleFunc("POST /api/check", s.handleCheck)
	mux.HandleFunc("POST /api/send", s.handleSend)
	mux.HandleFunc("POST /api/resume", s.handleResume)
	mux.HandleFunc("POST /api/stop", s.handleStop)
	mux.HandleFunc("GET /api/events", s.handleEvents)
	mux.HandleFunc("GET /api/jobs/{id}", s.handleJob)
	mux.HandleFunc("GET /api/jobs/{id}/rows", s.handleRows)
	mux.HandleFunc("GET /api/jobs/{id}/report", s.handleReport)
	mux.HandleFunc("GET /api/jobs/{id}/undo", s.handleUndoPlan)
	mux.HandleFunc("POST /api/jobs/{id}/undo", s.handleUndo)
	mux.HandleFunc("GET /api/jobs/{id}/report/{format}", s.handleReportAs)
	mux.HandleFunc("GET /api/jobs/{id}/reasons", s.handleReasons)
	mux.HandleFunc("GET /api/jobs/{id}/fix", s.handleFix)
	mux.HandleFunc("GET /api/history", s.handleHistory)
	mux.HandleFunc("GET /api/history/report", s.handleHistoryReport)
	mux.HandleFunc("GET /api/history/undo", s.handleHistoryUndoPlan)
	mux.HandleFunc("POST /api/history/undo", s.handleHistoryUndo)
	mux.HandleFunc("POST /api/history/resume", s.handleHistoryResume)
	return s.guard(mux)
}

// guard applies the page's security rules to every request: headers, Host
// (against DNS rebinding), the one-time token and session cookie, and Origin
// on requests that change anything (against cross-site requests).
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		if !s.hosts[r.Host] {
			http.Error(w, "wrong Host header: open the address leadstatus ui printed (127.0.0.1, localhost or [::1] with its port)", http.StatusMisdirectedRequest)
			return
		}
		if t := r.URL.Query().Get("token"); t != "" && r.Method == http.MethodGet && r.URL.Path == "/" {
			s.redeem(w, r, t)
			return
		}
		if !s.validSession(r) {
			http.Error(w, "not signed in to this page: open the link leadstatus ui printed in the terminal (it works once; restart leadstatus ui for a new one)", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if o := r.Header.Get("Origin"); o == "" || !s.hosts[strings.TrimPrefix(o, "http://")] || !strings.HasPrefix(o, "http://") {
				http.Error(w, "refused: this request did not come from the leadstatus page (Origin "+fmt.Sprintf("%q", o)+")", http.StatusForbidden)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// redeem turns the one-time URL token into the session cookie.
func (s *Server) redeem(w http.ResponseWriter, r *http.Request, token string) {
	s.mu.Lock()
	ok := s.token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) == 1
	if ok {
		s.token = ""
		s.sessionID = randomHex()
	}
	id := s.sessionID
	s.mu.Unlock()
	if !ok {
		http.Error(w, "this link was already used or is wrong: go back to the tab it opened, or restart leadstatus ui for a new link", http.StatusForbidden)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	// Drop the token from the address bar and history.
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) validSession(r *http.Request) bool {
	c, err := r.Cookie(s.cookie)
	if err != nil {
		return false
	}
	s.mu.Lock()
	id := s.sessionID
	s.mu.Unlock()
	return id != "" && subtle.ConstantTimeCompare([]byte(c.Value), []byte(id)) == 1
}

func randomHex() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
