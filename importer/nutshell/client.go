package nutshell

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

// Body limits: a list of leads is far below 8 MiB, and an error page says
// what it has to say in its first 64 KiB.
const (
	maxSuccessBody = 8 << 20
	maxErrorBody   = 64 << 10
)

// requestIDHeader is what Nutshell support asks for when something failed.
const requestIDHeader = "X-Nutshell-Request-Id"

// Client talks to one Nutshell account. It makes one attempt per call and
// classifies failures; retries are the caller's. It is safe for concurrent use.
type Client struct {
	base      string // scheme://host/path without a trailing slash
	basePath  string // the path part of base, for logs
	host      string
	user      string
	hc        *http.Client
	timeout   time.Duration
	userAgent string
	log       zerolog.Logger
	// setAuth is a closure rather than fields, so printing a Client with
	// %+v cannot show the key.
	setAuth func(*http.Request)
	// redactor takes the credentials out of what the server says.
	redactor redactor
}

// Response is a successful answer.
type Response struct {
	StatusCode int
	RequestID  string
	Lead       Lead // the lead the answer holds, if any
}

// New checks cfg and returns a Client. The base URL must use https, or http
// for a loopback host only, and must not hold credentials.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	user := strings.TrimSpace(cfg.Username)
	switch {
	case user == "":
		return nil, &ConfigError{"Username", "no user name given; give the Nutshell user's e-mail address"}
	case strings.Contains(user, ":"):
		return nil, &ConfigError{"Username", "the user name contains ':', which Basic auth cannot carry; give the Nutshell user's e-mail address"}
	case cfg.APIKey == "":
		return nil, &ConfigError{"APIKey", "no API key given; create one in Nutshell under Setup → API keys"}
	case cfg.Timeout < 0:
		return nil, &ConfigError{"Timeout", fmt.Sprintf("the timeout %v is negative; give a positive duration or 0 for 30s", cfg.Timeout)}
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = defaultTimeout
	}
	var hc *http.Client
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		c.CheckRedirect = checkRedirect
		hc = &c
	} else {
		hc = newHTTPClient(timeout)
	}
	key := cfg.APIKey
	return &Client{
		base:      base.String(),
		basePath:  base.EscapedPath(),
		host:      base.Host,
		user:      user,
		hc:        hc,
		timeout:   timeout,
		userAgent: cfg.UserAgent,
		log:       cfg.Log,
		setAuth:   func(r *http.Request) { r.SetBasicAuth(user, key.Reveal()) },
		redactor:  newRedactor(user, key.Reveal()),
	}, nil
}

// Account names the account this client talks to: the API's base URL and
// the user, never the key. Two clients with the same Account change the same
// leads.
func (c *Client) Account() string { return c.base + " " + c.user }

// request is one call to make.
type request struct {
	op     string
	method string
	path   string // escaped, relative to the base URL, starting with "/"
	query  url.Values
	body   []byte
}

// answer is a 2xx answer, its body read.
type answer struct {
	status    int
	requestID string
	header    http.Header
	body      []byte
}

// do makes one attempt and returns a 2xx answer or an *Error.
func (c *Client) do(ctx context.Context, r request) (*answer, error) {
	if err := ctx.Err(); err != nil {
		return nil, c.transportError(ctx, r, err, false)
	}
	target := c.base + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	// Whether the request left this process decides if a failure may have
	// been applied.
	var wrote atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				wrote.Store(true)
			}
		},
	})
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, target, body)
	if err != nil {
		return nil, &Error{Op: r.op, Message: "cannot build the request: " + clean(err.Error()), Kind: KindDefinite, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	c.setAuth(req)

	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		e := c.redactor.scrub(c.transportError(ctx, r, err, wrote.Load()))
		c.logAttempt(r, 0, "", time.Since(start), e)
		return nil, e
	}
	defer resp.Body.Close()
	reqID := c.redactor(requestID(resp.Header))
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := int64(maxErrorBody)
	if ok {
		limit = maxSuccessBody
	}
	data, tooBig, readErr := readLimited(resp.Body, limit)
	took := time.Since(start)
	var e *Error
	switch {
	case !ok:
		// A broken error body still leaves the status to classify by.
		e = c.statusError(r, resp, reqID, data)
	case readErr != nil:
		e = c.readFailure(ctx, r, readErr)
		e.StatusCode, e.RequestID = resp.StatusCode, reqID
	case tooBig:
		e = &Error{Op: r.op, StatusCode: resp.StatusCode, RequestID: reqID,
			Message: fmt.Sprintf("the answer is larger than %d MiB; check --url", maxSuccessBody>>20),
			Kind:    settle(r.method, KindAmbiguous, KindDefinite)}
	}
	if e != nil {
		// Everything an Error says about the answer is redacted here, before
		// it is logged or returned.
		e = c.redactor.scrub(e)
		reqID = e.RequestID
	}
	c.logAttempt(r, resp.StatusCode, reqID, took, e)
	if e != nil {
		return nil, e
	}
	return &answer{status: resp.StatusCode, requestID: reqID, header: resp.Header, body: data}, nil
}

// readLimited reads at most limit bytes and reports whether there was more.
// A body read to its end lets the connection be reused; a larger one is
// closed unread rather than downloaded.
func readLimited(r io.Reader, limit int64) ([]byte, bool, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, err
}

// requestID returns the answer's request ID, kept to printable characters
// and a sane length since it goes into reports.
func requestID(h http.Header) string {
	id := h.Get(requestIDHeader)
	id = strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r
		}
		return -1
	}, id)
	if len(id) > 64 {
		id = id[:64]
	}
	return id
}

// settle picks the kind for a failure whose meaning depends on the method:
// a GET changes nothing, so what "may have been applied" to a POST is merely
// retryable for a GET.
func settle(method string, forPost, forGet Kind) Kind {
	// A DELETE done twice takes nothing off twice: the second finds the
	// entity gone. It is retried as a read is.
	if method == http.MethodGet || method == http.MethodHead || method == http.MethodDelete {
		return forGet
	}
	return forPost
}

// logAttempt writes one Debug line. It never logs headers, bodies or the
// query, which could in principle hold what a user typed.
func (c *Client) logAttempt(r request, status int, reqID string, took time.Duration, e *Error) {
	ev := c.log.Debug()
	if ev == nil {
		return
	}
	ev = ev.Str("method", r.method).Str("path", c.basePath+r.path).Dur("duration", took)
	if status != 0 {
		ev = ev.Int("status", status)
	}
	if reqID != "" {
		ev = ev.Str("request_id", reqID)
	}
	if e != nil {
		ev = ev.Str("kind", e.Kind.String()).Str("error", e.Message)
	}
	ev.Msg("nutshell request")
}
