package bench

import (
	"context"
	"fmt"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// Credentials the benchmark's fake API accepts; they protect nothing, the
// fake serves only on loopback.
const (
	User   = "bench@example.com"
	APIKey = "bench-key"
)

// Fake is the fake Nutshell API served on a free loopback port for one
// scenario, in the benchmark's own process so the importer's CPU time is its own.
type Fake struct {
	URL    string // base URL, ".../rest"
	Server *fake.Server
	cancel context.CancelFunc
	wait   func() error
}

// StartFake serves a fake API with options o, accepting User and APIKey.
func StartFake(ctx context.Context, o fake.Options) (*Fake, error) {
	o.Username, o.APIKey = User, APIKey
	srv := fake.New(o)
	ctx, cancel := context.WithCancel(ctx)
	url, wait, err := fake.Start(ctx, "127.0.0.1:0", srv)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("start the fake API: %w", err)
	}
	return &Fake{URL: url, Server: srv, cancel: cancel, wait: wait}, nil
}

// Close stops the server and waits until it has stopped.
func (f *Fake) Close() error {
	f.cancel()
	return f.wait()
}

// Env returns the environment that points leadstatus at the fake.
func (f *Fake) Env() []string {
	return []string{"NUTSHELL_API_URL=" + f.URL, "NUTSHELL_USERNAME=" + User, "NUTSHELL_API_KEY=" + APIKey}
}
