package fake

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, wait, err := Start(ctx, "127.0.0.1:0", New(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/rest") || strings.HasSuffix(base, ":0/rest") {
		t.Fatalf("base URL = %q", base)
	}
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest(http.MethodGet, base+"/outcomes", nil)
	req.SetBasicAuth(testUser, testKey)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /outcomes: status %d", resp.StatusCode)
	}
	cancel()
	if err := wait(); err != nil {
		t.Errorf("wait() = %v, want nil after cancel", err)
	}
	if err := wait(); err != nil {
		t.Errorf("second wait() = %v", err)
	}
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("server still answers after its context ended")
	}
}

func TestStartRefusesOtherAddresses(t *testing.T) {
	tests := []struct {
		name     string
		addr     string
		loopback bool // whether the failure is ErrNotLoopback
	}{
		{"all interfaces", "0.0.0.0:0", true}, // would expose the fake to the network
		{"no host", ":0", true},               // the same, written short
		{"no port", "127.0.0.1", false},       // not an address at all
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Start(context.Background(), tt.addr, New(Options{}))
			if err == nil {
				t.Fatalf("Start(%q) succeeded", tt.addr)
			}
			if errors.Is(err, ErrNotLoopback) != tt.loopback {
				t.Errorf("Start(%q) = %v; ErrNotLoopback %v", tt.addr, err, tt.loopback)
			}
		})
	}
}
