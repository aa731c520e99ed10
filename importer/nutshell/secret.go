package nutshell

import (
	"fmt"
	"log/slog"
)

// redacted is what every printed form of a Secret shows.
const redacted = "***"

// Secret holds an API key. Every way of printing it (fmt verbs, JSON, text,
// zerolog, slog) shows "***"; only Reveal returns the key.
type Secret string

// Reveal returns the key itself; it is used only to build the Authorization header.
func (s Secret) Reveal() string { return string(s) }

// String returns "***".
func (s Secret) String() string { return redacted }

// GoString returns "***", for %#v.
func (s Secret) GoString() string { return redacted }

// Format writes "***" for every verb, so %x, %q and %d cannot reveal the key.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON returns the JSON string "***".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "***".
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue returns "***" for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
