package ui

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/fake"
)

// Exported to the tests of package ui_test, which may import cli.

// TestUser and TestKey are the credentials FakeURL's fake accepts.
const TestUser, TestKey = testUser, testKey

// FakeURL serves a fake Nutshell as o plays it and returns its base URL.
func FakeURL(t *testing.T, o fake.Options) string {
	_, url := fakeClient(t, o)
	return url
}

// SendAndUndo sends name through the page's handlers, as a person does
// (upload, check, send), then undoes the send, and returns the two runs'
// summaries as the page shows them.
func SendAndUndo(t *testing.T, o fake.Options, name string, data []byte) (sent, undone *importer.SummaryRecord) {
	t.Helper()
	client, _ := fakeClient(t, o)
	ts := newTestServer(t, Config{Client: client})
	ts.signIn()
	if w := ts.upload(name, data); w.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", w.Code, w.Body)
	}
	check := ts.wait(startJob(t, ts.do(http.MethodPost, "/api/check", nil, "")))
	send := ts.wait(startJob(t, ts.postJSON("/api/send", sendRequest{Format: "csv", Confirm: check.Updates})))
	if send.Summary == nil {
		t.Fatalf("send: %+v", send)
	}
	var plan undoPlanView
	json.Unmarshal(ts.do(http.MethodGet, "/api/jobs/"+itoa(send.ID)+"/undo", nil, "").Body.Bytes(), &plan)
	undo := ts.wait(startJob(t, ts.postJSON("/api/jobs/"+itoa(send.ID)+"/undo", sendRequest{Confirm: plan.Leads})))
	if undo.Summary == nil {
		t.Fatalf("undo: %+v", undo)
	}
	return send.Summary, undo.Summary
}
