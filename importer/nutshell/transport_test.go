package nutshell

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestTransportSettings(t *testing.T) {
	tr, ok := newHTTPClient(defaultTimeout).Transport.(*http.Transport)
	if !ok {
		t.Fatal("the default client has no *http.Transport")
	}
	tc := tr.TLSClientConfig
	if tc == nil || tc.InsecureSkipVerify || tc.MinVersion < tls.VersionTLS12 {
		t.Errorf("TLS config %+v: verification must stay on, TLS 1.2 at least", tc)
	}
	if tr.MaxIdleConnsPerHost < 64 || tr.DisableKeepAlives {
		t.Errorf("MaxIdleConnsPerHost %d, keep-alives disabled %v: 64 workers need their connections kept", tr.MaxIdleConnsPerHost, tr.DisableKeepAlives)
	}
	if tr.TLSHandshakeTimeout == 0 || tr.ResponseHeaderTimeout == 0 {
		t.Errorf("handshake timeout %v, response header timeout %v: both must be set", tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout)
	}
}

func TestUntrustedCertificate(t *testing.T) {
	// The test server's certificate is self-signed: the default transport must refuse it.
	srv := httptest.NewTLSServer(serve(200, jsonType, `{"id":"1-leads"}`))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL + "/rest", Username: testUser, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateStatus(context.Background(), "1-leads", nil)
	e := asError(t, err)
	if e.Kind != KindRetryable || !strings.Contains(e.Message, "TLS certificate") {
		t.Errorf("err = %v (kind %v)", err, e.Kind)
	}

	// With a client that trusts it (as tests may pass in), the request goes through.
	c, err = New(Config{BaseURL: srv.URL + "/rest", Username: testUser, APIKey: testKey, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateStatus(context.Background(), "1-leads", nil); err != nil {
		t.Errorf("trusted: %v", err)
	}
}

func TestConnectionsAreReused(t *testing.T) {
	const workers, each = 8, 20
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(serve(200, jsonType, `{"id":"1-leads","status":"won"}`))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := newClient(t, srv)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				if _, err := c.UpdateStatus(context.Background(), "1-leads", []byte(`{}`)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	// Bodies read to the end return connections to the pool; a few extra dials may race.
	if n := conns.Load(); n > 2*workers {
		t.Errorf("%d connections for %d requests from %d workers", n, workers*each, workers)
	}
}
