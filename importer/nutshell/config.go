package nutshell

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// defaultTimeout bounds one attempt when Config.Timeout is zero.
const defaultTimeout = 30 * time.Second

// Config is what New needs to build a Client.
type Config struct {
	BaseURL   string        // e.g. "https://app.nutshell.com/rest"
	Username  string        // the Nutshell user's e-mail address
	APIKey    Secret        // an API key of that user
	Timeout   time.Duration // per attempt, including reading the answer; 0 means 30s
	UserAgent string        // e.g. "leadstatus/0.1"
	// Log receives one Debug line per attempt: method, path, status, request
	// ID, duration. Never headers, bodies or query strings.
	Log zerolog.Logger
	// HTTPClient is optional (tests); its redirect policy is replaced by this
	// package's. Without it a client with a hardened transport is built.
	HTTPClient *http.Client
}

// MarshalZerologObject logs the configuration without its key, so
// log.Interface("config", cfg) and log.Object("config", cfg) are safe.
func (c Config) MarshalZerologObject(e *zerolog.Event) {
	e.Str("base_url", c.BaseURL).
		Str("username", c.Username).
		Stringer("api_key", c.APIKey).
		Dur("timeout", c.Timeout).
		Str("user_agent", c.UserAgent)
}

// ConfigError reports a Config that New cannot use.
type ConfigError struct {
	Field  string // "BaseURL", "Username", "APIKey", "Timeout"
	Reason string // one sentence saying what to fix
}

// Error returns the reason with the field it concerns.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("invalid Nutshell %s: %s", e.Field, e.Reason)
}

// parseBaseURL accepts https URLs, and http only for loopback hosts, since
// Basic auth over plain HTTP would send the key in the clear.
func parseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, &ConfigError{"BaseURL", "the URL is empty; give one like https://app.nutshell.com/rest (--url)"}
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error text would echo the URL, which may hold a password.
		return nil, &ConfigError{"BaseURL", "the URL cannot be parsed; give one like https://app.nutshell.com/rest (--url)"}
	}
	if u.User != nil {
		return nil, &ConfigError{"BaseURL", "the URL contains a user name or password; remove it and give the credentials through the environment"}
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, &ConfigError{"BaseURL", fmt.Sprintf("the URL %q has no host; give one like https://app.nutshell.com/rest (--url)", raw)}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, &ConfigError{"BaseURL", fmt.Sprintf("the URL %q has a query or fragment; give only scheme, host and path (--url)", u.Scheme+"://"+u.Host+u.Path)}
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, &ConfigError{"BaseURL", fmt.Sprintf("%s uses http, which would send the API key unencrypted; use https (http is allowed only for localhost)", u.Host)}
		}
	default:
		return nil, &ConfigError{"BaseURL", fmt.Sprintf("the URL %q must start with https:// (--url)", raw)}
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// isLoopback reports whether host is localhost, 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}
