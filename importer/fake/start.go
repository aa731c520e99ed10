package fake

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// ErrNotLoopback is returned by Start for an address other than a loopback
// one: the fake accepts any credentials and must not be reachable from
// other machines.
var ErrNotLoopback = errors.New("the fake API serves only on a loopback address such as 127.0.0.1:0")

// shutdownGrace is how long Start lets requests in flight finish once its
// context is done; latency sleeps end at once, since they follow it.
const shutdownGrace = 2 * time.Second

// Start serves s on addr ("" or "127.0.0.1:0" for a free port) until ctx
// is done. It returns the base URL ("http://127.0.0.1:PORT/rest") once the
// listener is open, and wait, which blocks until the server has stopped and
// returns why it stopped early (nil after ctx is done).
func Start(ctx context.Context, addr string, s *Server) (baseURL string, wait func() error, err error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", nil, fmt.Errorf("serve the fake API on %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", nil, fmt.Errorf("serve the fake API on %q: %w", addr, ErrNotLoopback)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("serve the fake API: %w", err)
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	stopped := make(chan error, 1)
	go func() {
		var err error
		select {
		case err = <-served:
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
			if srv.Shutdown(sctx) != nil {
				_ = srv.Close()
			}
			cancel()
			err = <-served
		}
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		if err != nil {
			err = fmt.Errorf("serve the fake API on %s: %w", ln.Addr(), err)
		}
		stopped <- err
	}()
	return "http://" + ln.Addr().String() + "/rest", sync.OnceValue(func() error { return <-stopped }), nil
}
