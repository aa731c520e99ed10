package nutshell

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBodyMessage(t *testing.T) {
	long := strings.Repeat("word ", 200)
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		want        string
	}{
		// Nutshell's HTML error page: the title, unescaped, whitespace collapsed.
		{name: "HTML title", contentType: htmlType, body: "<html><head>\n<TITLE>\n  An Error Occurred:\n  Not &amp; Found\n</TITLE></head><body>stack trace here</body></html>", status: 404, want: "An Error Occurred: Not & Found"},
		// No title: the first heading, without its inner tags.
		{name: "HTML h1", contentType: htmlType, body: "<html><body><h1 class=x>Bad <b>Gateway</b></h1><p>nginx</p></body></html>", status: 502, want: "Bad Gateway"},
		// An unlabelled page is still recognised as HTML.
		{name: "unlabelled HTML", body: "<!DOCTYPE html><html><title>Maintenance</title></html>", status: 503, want: "Maintenance"},
		// An HTML page with neither: the status text, never the markup.
		{name: "HTML bare", contentType: htmlType, body: "<html><body><p>nope</p></body></html>", status: 404, want: "Not Found"},
		// JSON "message".
		{name: "JSON message", contentType: jsonType, body: `{"message":"Lead 1006-leads is already closed."}`, status: 422, want: "Lead 1006-leads is already closed."},
		// JSON "error" as a string.
		{name: "JSON error string", body: `{"error":"invalid outcome"}`, status: 400, want: "invalid outcome"},
		// JSON "error" as an object.
		{name: "JSON error object", body: `{"error":{"code":7,"message":"no such outcome"}}`, status: 400, want: "no such outcome"},
		// JSON:API style errors[0].detail.
		{name: "JSON errors detail", body: `{"errors":[{"status":"422","detail":"outcomeId is invalid"},{"detail":"second"}]}`, status: 422, want: "outcomeId is invalid"},
		// JSON without a message: the status text, not the JSON.
		{name: "JSON without message", body: `{"code":7}`, status: 409, want: "Conflict"},
		// Broken JSON: the status text.
		{name: "JSON broken", body: `{"message":`, status: 500, want: "Internal Server Error"},
		// Binary junk: the status text.
		{name: "junk", body: "\x00\x01\xff\xfePK\x03\x04", status: 500, want: "Internal Server Error"},
		// Short plain text is kept.
		{name: "plain text", contentType: "text/plain", body: "  upstream\tconnect error  \n", status: 503, want: "upstream connect error"},
		// No body, unknown status: a generic phrase.
		{name: "empty unknown status", body: "", status: 599, want: "no explanation given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bodyMessage(tt.contentType, []byte(tt.body), tt.status); got != tt.want {
				t.Errorf("bodyMessage = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("long text is cut", func(t *testing.T) {
		got := bodyMessage("text/plain", []byte(long), 500)
		if n := utf8.RuneCountInString(got); n > maxMessage || !strings.HasSuffix(got, "…") {
			t.Errorf("message has %d characters, ends %q", n, got[len(got)-8:])
		}
	})
	t.Run("long title is cut", func(t *testing.T) {
		got := bodyMessage(htmlType, []byte("<title>"+long+"</title>"), 500)
		if n := utf8.RuneCountInString(got); n > maxMessage {
			t.Errorf("message has %d characters", n)
		}
	})
}

func TestDescribeBody(t *testing.T) {
	tests := []struct {
		name, contentType, body, want string
	}{
		// A login page from a proxy names itself.
		{name: "HTML", contentType: htmlType, body: "<html><title>Sign in</title></html>", want: `an HTML page titled "Sign in"`},
		// Nothing at all.
		{name: "empty", body: "  ", want: "an empty answer"},
		// Text that is not JSON.
		{name: "text", contentType: "text/plain; charset=utf-8", body: "ok", want: "an answer of type text/plain that is not valid JSON"},
	}
	for _, tt := range tests {
		if got := describeBody(tt.contentType, []byte(tt.body)); got != tt.want {
			t.Errorf("%s: describeBody = %q, want %q", tt.name, got, tt.want)
		}
	}
}
