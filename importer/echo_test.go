package importer

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// A server or proxy that repeats the request's credentials in its answers
// has them taken out before anything is printed, logged or written: the
// report, the summary, the log and the error all show "***" instead.
func TestServerEchoingCredentialsReachesNoOutput(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		token := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testKey))
		echoes := map[string]func(r *http.Request) (int, string, string){
			"422 JSON with user:key": func(r *http.Request) (int, string, string) {
				u, k, _ := r.BasicAuth()
				return 422, "application/json", fmt.Sprintf(`{"message":"validation failed for %s:%s"}`, u, k)
			},
			"500 HTML with the Authorization header": func(r *http.Request) (int, string, string) {
				return 500, "text/html", "<title>Bad gateway; request had " + r.Header.Get("Authorization") + "</title>"
			},
			"400 text with the key and user": func(r *http.Request) (int, string, string) {
				u, k, _ := r.BasicAuth()
				return 400, "text/plain", "key " + k + " is not valid for " + strings.ToUpper(u)
			},
		}
		for name, echo := range echoes {
			t.Run(name, func(t *testing.T) {
				srv := fake.New(withKind(fake.Options{Username: testUser, APIKey: testKey, Leads: 1000}, kind))
				// Every update is answered with the echo; reads go to the fake.
				ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method != http.MethodPost {
						srv.ServeHTTP(w, r)
						return
					}
					status, ctype, body := echo(r)
					w.Header().Set("Content-Type", ctype)
					w.Header().Set("X-Nutshell-Request-Id", token)
					w.WriteHeader(status)
					_, _ = w.Write([]byte(body))
				}))
				t.Cleanup(ts.Close)
				c, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: testUser, APIKey: testKey, Timeout: 2 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				var logs bytes.Buffer
				o := baseOptions(t, closeInput(t, 20), c)
				o.Retries = 1
				o.OutagePause = time.Millisecond
				o.Log = zerolog.New(&logs).Level(zerolog.DebugLevel)
				sum, err := Run(context.Background(), o)
				if sum == nil {
					t.Fatalf("Run: %v", err)
				}
				data, rerr := os.ReadFile(sum.ReportPath)
				if rerr != nil {
					t.Fatal(rerr)
				}
				outputs := map[string]string{
					"report":  string(data),
					"log":     logs.String(),
					"summary": fmt.Sprintf("%+v", *sum),
				}
				if err != nil {
					outputs["error"] = err.Error()
				}
				for what, out := range outputs {
					for _, secret := range []string{testKey, token, testUser, strings.ToUpper(testUser)} {
						if strings.Contains(out, secret) {
							t.Errorf("the %s shows %q", what, secret)
						}
					}
				}
				if !strings.Contains(string(data), "***") {
					t.Errorf("the report does not show the server's redacted text:\n%s", data)
				}
			})
		}
	})
}
