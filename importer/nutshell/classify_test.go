package nutshell

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	htmlType = "text/html; charset=UTF-8"
	jsonType = "application/json"
)

func TestUpdateStatusClassifiesAnswers(t *testing.T) {
	date := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		wantErr    bool
		kind       Kind
		status     int
		message    string // exact Message, if set
		contains   string // substring of Message, if set
		retryAfter time.Duration
		notFound   bool
	}{
		// The status endpoint answers with the lead object itself.
		{name: "200 lead object", handler: serve(200, jsonType, `{"id":"1006-leads","status":"won","number":"1001"}`), status: 200},
		// A lead wrapped as {"leads":[...]} is accepted too.
		{name: "200 leads wrapper", handler: serve(200, jsonType, `{"leads":[{"id":"1006-leads","status":"won"}]}`), status: 200},
		// A proxy's 200 HTML page may hide an applied update.
		{name: "200 HTML", handler: serve(200, htmlType, `<html><title>Sign in</title></html>`), wantErr: true, kind: KindAmbiguous, status: 200, contains: `HTML page titled "Sign in"`},
		// A bodyless 400 falls back to the status text.
		{name: "400 bodyless", handler: serve(400, "", ""), wantErr: true, kind: KindDefinite, status: 400, message: "Bad Request"},
		// 401 comes back as an HTML page; its title is the message.
		{name: "401 HTML", handler: serve(401, htmlType, "<!DOCTYPE html><html><head><title>An Error Occurred: Unauthorized</title></head><body><h1>Oops</h1></body></html>"), wantErr: true, kind: KindFatal, status: 401, message: "An Error Occurred: Unauthorized"},
		// 403 means the key lacks permission: stop everything.
		{name: "403 JSON", handler: serve(403, jsonType, `{"message":"Forbidden"}`), wantErr: true, kind: KindFatal, status: 403, message: "Forbidden"},
		// 404 as HTML is a definite refusal that errors.Is(ErrNotFound).
		{name: "404 HTML", handler: serve(404, htmlType, "<html><head><title>An Error Occurred: Not Found</title></head></html>"), wantErr: true, kind: KindDefinite, status: 404, message: "An Error Occurred: Not Found", notFound: true},
		// 409 is a definite refusal.
		{name: "409 JSON", handler: serve(409, jsonType, `{"message":"Conflict on lead"}`), wantErr: true, kind: KindDefinite, status: 409, message: "Conflict on lead"},
		// 422 carries the server's reason.
		{name: "422 JSON", handler: serve(422, jsonType, `{"message":"Lead 1006-leads is already closed."}`), wantErr: true, kind: KindDefinite, status: 422, message: "Lead 1006-leads is already closed."},
		// 408: the server did not process the request.
		{name: "408", handler: serve(408, "", ""), wantErr: true, kind: KindRetryable, status: 408},
		// 429 with delta-seconds.
		{name: "429 seconds", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			serve(429, "", "")(w, r)
		}, wantErr: true, kind: KindRateLimited, status: 429, retryAfter: 7 * time.Second},
		// 429 with an HTTP-date, measured from the answer's Date header.
		{name: "429 date", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", date.Format(http.TimeFormat))
			w.Header().Set("Retry-After", date.Add(90*time.Second).Format(http.TimeFormat))
			serve(429, "", "")(w, r)
		}, wantErr: true, kind: KindRateLimited, status: 429, retryAfter: 90 * time.Second},
		// 500 may have been applied.
		{name: "500", handler: serve(500, jsonType, `{"error":{"message":"Internal error"}}`), wantErr: true, kind: KindAmbiguous, status: 500, message: "Internal error"},
		// 502 from a gateway, HTML.
		{name: "502 HTML", handler: serve(502, htmlType, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"), wantErr: true, kind: KindAmbiguous, status: 502, message: "502 Bad Gateway"},
		// 503 is "slow down": not applied.
		{name: "503", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "3")
			serve(503, "text/plain", "maintenance")(w, r)
		}, wantErr: true, kind: KindOverloaded, status: 503, message: "maintenance", retryAfter: 3 * time.Second},
		// 504: the gateway gave up, the backend may have finished.
		{name: "504", handler: serve(504, "", ""), wantErr: true, kind: KindAmbiguous, status: 504, message: "Gateway Timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, newServer(t, tt.handler))
			resp, err := c.UpdateStatus(context.Background(), "1006-leads", []byte(`{"outcomeId":"1-outcomes"}`))
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("UpdateStatus: %v", err)
				}
				if resp.StatusCode != tt.status || resp.Lead.ID != "1006-leads" || resp.RequestID == "" {
					t.Fatalf("response = %+v", resp)
				}
				return
			}
			e := asError(t, err)
			if e.Kind != tt.kind || KindOf(err) != tt.kind {
				t.Errorf("kind = %v, KindOf = %v, want %v (%v)", e.Kind, KindOf(err), tt.kind, err)
			}
			if e.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", e.StatusCode, tt.status)
			}
			if e.RequestID != "0123456789abcdef0123456789abcdef" {
				t.Errorf("request ID = %q", e.RequestID)
			}
			if tt.message != "" && e.Message != tt.message {
				t.Errorf("message = %q, want %q", e.Message, tt.message)
			}
			if !strings.Contains(e.Message, tt.contains) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tt.contains)
			}
			if e.RetryAfter != tt.retryAfter {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tt.retryAfter)
			}
			if errors.Is(err, ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(ErrNotFound) = %v", !tt.notFound)
			}
			if strings.Contains(e.Message, "<") {
				t.Errorf("message holds markup: %q", e.Message)
			}
		})
	}
}

func TestErrorSentence(t *testing.T) {
	c := newClient(t, newServer(t, serve(422, jsonType, `{"message":"Lead 1006-leads is already closed."}`)))
	_, err := c.UpdateStatus(context.Background(), "1006-leads", nil)
	want := "update status of 1006-leads: HTTP 422: Lead 1006-leads is already closed. (request 0123456789abcdef0123456789abcdef)"
	if err == nil || err.Error() != want {
		t.Fatalf("Error() = %q, want %q", err, want)
	}
}

func TestGetFailuresAreRetryable(t *testing.T) {
	// A GET changes nothing, so what would be ambiguous for a POST is safe to retry.
	c := newClient(t, newServer(t, serve(502, htmlType, "<title>Bad Gateway</title>")))
	_, err := c.Outcomes(context.Background())
	if k := KindOf(err); k != KindRetryable {
		t.Fatalf("KindOf = %v, want retryable (%v)", k, err)
	}
}

func TestTransportFailures(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(t *testing.T) (baseURL string, timeout time.Duration)
		kind     Kind
		contains string
	}{
		// The server reads the whole request, then drops the connection: it may have acted on it.
		{name: "closed after request", setup: func(t *testing.T) (string, time.Duration) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				conn, _, err := w.(http.Hijacker).Hijack()
				if err != nil {
					t.Errorf("hijack: %v", err)
					return
				}
				_ = conn.Close()
			}))
			return srv.URL, 5 * time.Second
		}, kind: KindAmbiguous, contains: "closed the connection"},
		// Nothing listens: the request never left.
		{name: "connection refused", setup: func(t *testing.T) (string, time.Duration) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			_ = ln.Close()
			return "http://" + addr, 5 * time.Second
		}, kind: KindRetryable, contains: "refused"},
		// The server holds the request past the timeout.
		{name: "timeout after write", setup: func(t *testing.T) (string, time.Duration) {
			srv := newHoldServer(t, nil)
			return srv.URL, 100 * time.Millisecond
		}, kind: KindAmbiguous, contains: "timed out after 100ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, timeout := tt.setup(t)
			c, err := New(Config{BaseURL: base + "/rest", Username: testUser, APIKey: testKey, Timeout: timeout})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.UpdateStatus(context.Background(), "1006-leads", []byte(`{}`))
			e := asError(t, err)
			if e.Kind != tt.kind || e.StatusCode != 0 {
				t.Errorf("kind %v status %d, want %v status 0 (%v)", e.Kind, e.StatusCode, tt.kind, err)
			}
			if !strings.Contains(e.Message, tt.contains) {
				t.Errorf("message %q does not contain %q", e.Message, tt.contains)
			}
			if strings.Contains(err.Error(), "http://") {
				t.Errorf("error repeats the URL: %q", err)
			}
		})
	}
}

func TestCallerCancellation(t *testing.T) {
	tests := []struct {
		name        string
		afterWrite  bool
		kind        Kind
		wantMessage string
	}{
		// Cancelled before anything was sent: nothing can have been applied.
		{name: "before write", afterWrite: false, kind: KindRetryable, wantMessage: "cancelled before the request was sent"},
		// Cancelled while the server holds the request: it may have been applied.
		{name: "after write", afterWrite: true, kind: KindAmbiguous, wantMessage: "cancelled after the request was sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan struct{})
			srv := newHoldServer(t, got)
			c := newClient(t, srv)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.afterWrite {
				go func() { <-got; cancel() }()
			} else {
				cancel()
			}
			_, err := c.UpdateStatus(ctx, "1006-leads", []byte(`{}`))
			e := asError(t, err)
			if e.Kind != tt.kind || e.Message != tt.wantMessage {
				t.Errorf("kind %v message %q, want %v %q", e.Kind, e.Message, tt.kind, tt.wantMessage)
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("errors.Is(err, context.Canceled) is false for %v", err)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		// An *Error deep in a chain keeps its kind.
		{name: "wrapped Error", err: errors.Join(errors.New("row 3"), &Error{Kind: KindFatal}), want: KindFatal},
		// The caller gave up before this package sent anything (e.g. a limiter wait).
		{name: "bare cancel", err: context.Canceled, want: KindRetryable},
		// Likewise for a deadline.
		{name: "bare deadline", err: context.DeadlineExceeded, want: KindRetryable},
		// Anything unknown must not be retried.
		{name: "other", err: errors.New("boom"), want: KindDefinite},
	}
	for _, tt := range tests {
		if got := KindOf(tt.err); got != tt.want {
			t.Errorf("%s: KindOf = %v, want %v", tt.name, got, tt.want)
		}
	}
}
