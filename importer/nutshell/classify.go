package nutshell

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// statusError classifies a non-2xx answer.
func (c *Client) statusError(r request, resp *http.Response, reqID string, body []byte) *Error {
	code := resp.StatusCode
	e := &Error{
		Op:         r.op,
		StatusCode: code,
		RequestID:  reqID,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), resp.Header.Get("Date"), time.Now()),
	}
	switch {
	case code >= 300 && code < 400:
		// Redirects reach here only when checkRedirect refused to follow them.
		e.Kind = KindDefinite
		e.Message = redirectMessage(resp)
		return e
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		e.Kind = KindFatal
	case code == http.StatusNotFound:
		e.Kind = KindDefinite
		e.Err = ErrNotFound
	// The server says it did not process the request, and why.
	case code == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
	case code == http.StatusServiceUnavailable:
		e.Kind = KindOverloaded
	case code == http.StatusRequestTimeout:
		e.Kind = KindRetryable
	case code >= 400 && code < 500:
		e.Kind = KindDefinite
	default:
		e.Kind = settle(r.method, KindAmbiguous, KindRetryable)
	}
	e.Message = bodyMessage(resp.Header.Get("Content-Type"), body, code)
	return e
}

// redirectMessage names where the server redirected to, without the
// target's query or credentials.
func redirectMessage(resp *http.Response) string {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "the server answered with a redirect but no location; check --url"
	}
	u, err := resp.Request.URL.Parse(loc)
	if err != nil {
		return "the server redirected to an unreadable location; check --url"
	}
	shown := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return fmt.Sprintf("the server redirected to %s; check --url", clean(shown.String()))
}

// transportError classifies a failure without an answer. ctx is the
// caller's; wrote tells whether the whole request had been written.
func (c *Client) transportError(ctx context.Context, r request, err error, wrote bool) *Error {
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		inner = ue.Err // url.Error's text repeats the whole URL
	}
	e := &Error{Op: r.op, Err: inner}
	if cerr := ctx.Err(); cerr != nil {
		if !errors.Is(inner, cerr) {
			e.Err = errors.Join(cerr, inner)
		}
		what := "cancelled"
		if errors.Is(cerr, context.DeadlineExceeded) {
			what = "the caller's deadline passed"
		}
		if wrote {
			e.Kind = settle(r.method, KindAmbiguous, KindRetryable)
			e.Message = what + " after the request was sent"
		} else {
			e.Kind = KindRetryable
			e.Message = what + " before the request was sent"
		}
		return e
	}
	if isRedirectRefused(inner) {
		e.Kind = KindDefinite
		e.Message = fmt.Sprintf("the server redirected more than %d times; check --url", maxRedirects)
		return e
	}
	if isTimeout(inner) {
		if wrote {
			e.Kind = settle(r.method, KindAmbiguous, KindRetryable)
			e.Message = fmt.Sprintf("timed out after %v waiting for the answer", c.timeout)
		} else {
			e.Kind = KindRetryable
			e.Message = fmt.Sprintf("timed out connecting to %s", c.host)
		}
		return e
	}
	if !wrote {
		e.Kind = KindRetryable
		e.Message = c.connectMessage(inner)
		return e
	}
	e.Kind = settle(r.method, KindAmbiguous, KindRetryable)
	switch {
	case errors.Is(inner, syscall.ECONNRESET):
		e.Message = "the connection was reset by the server before it answered"
	case errors.Is(inner, io.EOF) || errors.Is(inner, io.ErrUnexpectedEOF):
		e.Message = "the server closed the connection without answering"
	default:
		e.Message = "the connection failed before the server answered: " + clean(inner.Error())
	}
	return e
}

// isTimeout reports a deadline from the attempt's timeout or the transport's own.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// connectMessage says in plain words why no connection could be made.
func (c *Client) connectMessage(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("cannot look up the host %s; check --url and the network", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("connection to %s refused", c.host)
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
		return fmt.Sprintf("the TLS certificate of %s is not trusted: %s", c.host, clean(err.Error()))
	case errors.As(err, &recErr):
		return fmt.Sprintf("%s did not answer with TLS; check that --url starts with the right scheme", c.host)
	}
	return fmt.Sprintf("cannot connect to %s: %s", c.host, clean(err.Error()))
}

// readFailure classifies a 2xx answer whose body broke off: the server had
// begun to answer, so a POST may have been applied.
func (c *Client) readFailure(ctx context.Context, r request, err error) *Error {
	e := c.transportError(ctx, r, err, true)
	switch {
	case ctx.Err() != nil:
		e.Message = "cancelled while reading the answer"
	case isTimeout(err):
		e.Message = fmt.Sprintf("timed out after %v while reading the answer", c.timeout)
	default:
		e.Message = "the connection broke while reading the answer: " + clean(e.Err.Error())
	}
	return e
}

// NotApplied reports whether an answer's HTTP status says the request was
// not applied: every 4xx is the server declining the request as sent.
// Reports record the status; resume and undo read it back through this.
func NotApplied(status int) bool { return status >= 400 && status <= 499 }
