package nutshell

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// maxRedirects bounds the same-host redirects a GET follows.
const maxRedirects = 5

// newHTTPClient returns a client whose transport keeps enough idle
// connections for 64 workers and never skips certificate checks.
func newHTTPClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: timeout,
			ExpectContinueTimeout: time.Second,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          128,
			MaxIdleConnsPerHost:   64,
			IdleConnTimeout:       90 * time.Second,
		},
		CheckRedirect: checkRedirect,
	}
}

// redirectRefused is returned by checkRedirect when a GET is redirected too
// many times; other refused redirects hand back the 3xx answer itself.
type redirectRefused struct{ n int }

func (e *redirectRefused) Error() string {
	return fmt.Sprintf("stopped after %d redirects", e.n)
}

// checkRedirect follows no redirect of a POST (the server may have turned it
// into a GET, or would receive it twice) and, for a GET, only redirects to
// the same scheme and host, so credentials never reach another server.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0]
	if first.Method != http.MethodGet && first.Method != http.MethodHead {
		return http.ErrUseLastResponse
	}
	if req.URL.Scheme != first.URL.Scheme || req.URL.Host != first.URL.Host {
		return http.ErrUseLastResponse
	}
	if len(via) > maxRedirects {
		return &redirectRefused{n: len(via)}
	}
	return nil
}

// isRedirectRefused reports whether err came from checkRedirect.
func isRedirectRefused(err error) bool {
	var r *redirectRefused
	return errors.As(err, &r)
}
