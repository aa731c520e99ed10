package nutshell

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*Config)
		field    string // "" when New must succeed
		contains string
		base     string // the normalised base URL on success
	}{
		// The real service.
		{name: "https", edit: func(c *Config) {}, base: "https://app.nutshell.com/rest"},
		// A trailing slash is dropped so paths join cleanly.
		{name: "trailing slash", edit: func(c *Config) { c.BaseURL = "https://app.nutshell.com/rest/" }, base: "https://app.nutshell.com/rest"},
		// Plain http to a loopback address is fine for a local fake.
		{name: "http 127.0.0.1", edit: func(c *Config) { c.BaseURL = "http://127.0.0.1:8080/rest" }, base: "http://127.0.0.1:8080/rest"},
		// Anywhere in 127.0.0.0/8.
		{name: "http 127.1.2.3", edit: func(c *Config) { c.BaseURL = "http://127.1.2.3/rest" }, base: "http://127.1.2.3/rest"},
		// IPv6 loopback.
		{name: "http ::1", edit: func(c *Config) { c.BaseURL = "http://[::1]:9/rest" }, base: "http://[::1]:9/rest"},
		// localhost by name, any case.
		{name: "http localhost", edit: func(c *Config) { c.BaseURL = "HTTP://LocalHost:9/rest" }, base: "http://LocalHost:9/rest"},
		// Plain http elsewhere would send the key in the clear.
		{name: "http example.com", edit: func(c *Config) { c.BaseURL = "http://example.com/rest" }, field: "BaseURL", contains: "use https"},
		// A host that merely starts with 127 is not loopback.
		{name: "http 127.example.com", edit: func(c *Config) { c.BaseURL = "http://127.0.0.1.example.com/rest" }, field: "BaseURL", contains: "use https"},
		// Credentials in the URL are refused, and not echoed.
		{name: "userinfo", edit: func(c *Config) { c.BaseURL = "https://ana:hunter2@app.nutshell.com/rest" }, field: "BaseURL", contains: "environment"},
		// Other schemes are refused.
		{name: "ftp", edit: func(c *Config) { c.BaseURL = "ftp://app.nutshell.com/rest" }, field: "BaseURL", contains: "https://"},
		// A URL without a scheme has no host.
		{name: "no scheme", edit: func(c *Config) { c.BaseURL = "app.nutshell.com/rest" }, field: "BaseURL", contains: "no host"},
		// A query would be mangled by path joining.
		{name: "query", edit: func(c *Config) { c.BaseURL = "https://app.nutshell.com/rest?x=1" }, field: "BaseURL", contains: "query"},
		// Empty.
		{name: "empty URL", edit: func(c *Config) { c.BaseURL = "" }, field: "BaseURL", contains: "empty"},
		// No user name.
		{name: "no username", edit: func(c *Config) { c.Username = " " }, field: "Username", contains: "e-mail"},
		// No key.
		{name: "no key", edit: func(c *Config) { c.APIKey = "" }, field: "APIKey", contains: "API key"},
		// A negative timeout.
		{name: "negative timeout", edit: func(c *Config) { c.Timeout = -time.Second }, field: "Timeout", contains: "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{BaseURL: "https://app.nutshell.com/rest", Username: testUser, APIKey: testKey}
			tt.edit(&cfg)
			c, err := New(cfg)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if c.base != tt.base {
					t.Errorf("base = %q, want %q", c.base, tt.base)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field {
				t.Fatalf("err = %v, want a ConfigError on %s", err, tt.field)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q does not say %q", err, tt.contains)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error echoes the password: %q", err)
			}
		})
	}
}

func TestNewDefaultsTimeout(t *testing.T) {
	c, err := New(Config{BaseURL: "https://app.nutshell.com/rest", Username: testUser, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if c.timeout != 30*time.Second {
		t.Errorf("timeout = %v, want 30s", c.timeout)
	}
}
