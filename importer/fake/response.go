package fake

import (
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
)

// response is an answer decided but not yet written.
type response struct {
	status      int
	contentType string
	body        []byte
	retryAfter  int    // seconds; 0 = no Retry-After header
	allow       string // Allow header of a 405
	reset       bool   // drop the connection instead of answering
}

// jsonResponse encodes v as the body.
func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		// Only the package's own types are encoded; this is a bug, not input.
		return messageResponse(http.StatusInternalServerError, "The response could not be encoded.")
	}
	return response{status: status, contentType: "application/json", body: b}
}

// messageResponse is a JSON error body {"message": ...}.
func messageResponse(status int, format string, args ...any) response {
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{fmt.Sprintf(format, args...)})
	return response{status: status, contentType: "application/json", body: b}
}

// htmlResponse is the HTML error page the live service sends for 401 and
// 404 (a framework's default page).
func htmlResponse(status int) response {
	text := html.EscapeString(http.StatusText(status))
	page := fmt.Sprintf(`<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8" />
<title>An Error Occurred: %[2]s</title>
</head>
<body>
<h1>Oops! An Error Occurred</h1>
<h2>The server returned a "%[1]d %[2]s".</h2>
<div>Something is broken. Please let us know what you were doing when this error occurred.</div>
</body>
</html>
`, status, text)
	return response{status: status, contentType: "text/html; charset=UTF-8", body: []byte(page)}
}

// write sends the response with the headers every answer carries.
func (resp response) write(w http.ResponseWriter, requestID string) {
	h := w.Header()
	if resp.contentType != "" { // a 204 has no body to describe
		h.Set("Content-Type", resp.contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	h.Set("X-Nutshell-Request-Id", requestID)
	h.Set("Strict-Transport-Security", "max-age=31536000")
	if resp.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(resp.retryAfter))
	}
	if resp.status == http.StatusUnauthorized {
		h.Set("Www-Authenticate", `Basic realm="Nutshell"`)
	}
	if resp.allow != "" {
		h.Set("Allow", resp.allow)
	}
	w.WriteHeader(resp.status)
	// A write error means the client left; there is no one to tell.
	_, _ = w.Write(resp.body)
}

// canDrop reports whether the request's connection can be taken over to
// drop it.
func canDrop(w http.ResponseWriter) bool {
	for {
		switch v := w.(type) {
		case http.Hijacker:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			w = v.Unwrap()
		default:
			return false
		}
	}
}

// dropConnection closes the request's connection without an answer, with a
// TCP reset where possible.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return // canDrop said yes; the connection is already gone
	}
	raw := conn
	if tc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = tc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close with RST, as a crashed peer would
	}
	_ = conn.Close()
}
