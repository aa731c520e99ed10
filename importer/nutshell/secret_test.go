package nutshell

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// assertNoSecret fails if out shows the key in any form seen in the wild.
func assertNoSecret(t *testing.T, what, out string) {
	t.Helper()
	forms := map[string]string{
		"key":          testKey.Reveal(),
		"basic":        base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testKey.Reveal())),
		"key base64":   base64.StdEncoding.EncodeToString([]byte(testKey.Reveal())),
		"key hex":      hex.EncodeToString([]byte(testKey.Reveal())),
		"key hex (uc)": strings.ToUpper(hex.EncodeToString([]byte(testKey.Reveal()))),
	}
	for name, form := range forms {
		if strings.Contains(out, form) {
			t.Errorf("%s shows the %s: %s", what, name, out)
		}
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	cfg := Config{BaseURL: "https://app.nutshell.com/rest", Username: testUser, APIKey: testKey}
	for _, verb := range []string{"%v", "%s", "%q", "%x", "%X", "%d", "%+v", "%#v", "%10.3s"} {
		for name, v := range map[string]any{"Secret": testKey, "Config": cfg, "*Config": &cfg} {
			out := fmt.Sprintf(verb, v)
			assertNoSecret(t, fmt.Sprintf("fmt %s of %s", verb, name), out)
		}
		if got := fmt.Sprintf(verb, testKey); got != "***" {
			t.Errorf("fmt %s of Secret = %q, want ***", verb, got)
		}
	}
	if testKey.Reveal() != "k3y-S3cr3t-9f8e7d" {
		t.Errorf("Reveal does not return the key")
	}

	js, err := json.Marshal(struct {
		Key Secret
		Cfg Config
	}{testKey, cfg})
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "JSON", string(js))
	text, _ := testKey.MarshalText()
	assertNoSecret(t, "MarshalText", string(text))

	var buf bytes.Buffer
	log := zerolog.New(&buf)
	log.Info().Interface("cfg", cfg).Msg("interface")
	log.Info().Object("cfg", cfg).Msg("object")
	log.Info().Stringer("key", testKey).Msg("stringer")
	log.Info().Any("key", testKey).Msg("any")
	log.Info().Interface("cfgp", &cfg).Msg("pointer")
	assertNoSecret(t, "zerolog", buf.String())
	if !strings.Contains(buf.String(), `"api_key":"***"`) {
		t.Errorf("zerolog object lacks the redacted key: %s", buf.String())
	}

	buf.Reset()
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("cfg", "key", testKey, "cfg", cfg)
	assertNoSecret(t, "slog", buf.String())
}

func TestSecretNotInClientOrErrors(t *testing.T) {
	var logs bytes.Buffer
	srv := newServer(t, serve(401, htmlType, "<title>An Error Occurred: Unauthorized</title>"))
	c := newClient(t, srv, func(cfg *Config) { cfg.Log = zerolog.New(&logs).Level(zerolog.DebugLevel) })
	assertNoSecret(t, "client %+v", fmt.Sprintf("%+v %#v", c, c))

	_, err := c.UpdateStatus(context.Background(), "1006-leads", nil)
	e := asError(t, err)
	assertNoSecret(t, "Error()", err.Error())
	assertNoSecret(t, "error %+v", fmt.Sprintf("%+v %#v", e, e))
	assertNoSecret(t, "debug log", logs.String())
	if strings.Contains(logs.String(), "Authorization") {
		t.Errorf("log mentions headers: %s", logs.String())
	}
}

func TestBasicAuthAndHeaders(t *testing.T) {
	type seen struct {
		user, pass, ua, ct, accept, method, path string
		ok                                       bool
		body                                     string
	}
	got := make(chan seen, 1)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		got <- seen{u, p, r.UserAgent(), r.Header.Get("Content-Type"), r.Header.Get("Accept"), r.Method, r.URL.EscapedPath(), ok, b.String()}
		serve(200, jsonType, `{"id":"1006-leads"}`)(w, r)
	}))
	c := newClient(t, srv)
	if _, err := c.UpdateStatus(context.Background(), "1006-leads", []byte(`{"outcomeId":"1-outcomes"}`)); err != nil {
		t.Fatal(err)
	}
	s := <-got
	want := seen{testUser, testKey.Reveal(), "leadstatus-test", "application/json", "application/json", "POST", "/rest/leads/1006-leads/status", true, `{"outcomeId":"1-outcomes"}`}
	if s != want {
		t.Errorf("server saw %+v\nwant %+v", s, want)
	}
}

func TestDebugLog(t *testing.T) {
	var logs bytes.Buffer
	srv := newServer(t, serve(200, jsonType, `{"outcomes":[]}`))
	c := newClient(t, srv, func(cfg *Config) { cfg.Log = zerolog.New(&logs).Level(zerolog.DebugLevel) })
	if _, err := c.Outcomes(context.Background()); err != nil {
		t.Fatal(err)
	}
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log %q: %v", logs.String(), err)
	}
	for k, want := range map[string]any{"method": "GET", "path": "/rest/outcomes", "status": float64(200), "request_id": "0123456789abcdef0123456789abcdef"} {
		if line[k] != want {
			t.Errorf("log %s = %v, want %v", k, line[k], want)
		}
	}
	if _, ok := line["duration"]; !ok {
		t.Errorf("log lacks the duration: %s", logs.String())
	}
}
