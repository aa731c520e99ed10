package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/fake"
)

func TestThousands(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "0"},                 // no separator
		{999, "999"},             // just under a group
		{1000, "1,000"},          // one separator
		{100000, "100,000"},      // the XLSX size
		{1000000, "1,000,000"},   // the CSV size
		{-1234567, "-1,234,567"}, // a sign is no digit
	}
	for _, tt := range tests {
		if got := thousands(tt.n); got != tt.want {
			t.Errorf("thousands(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestParseFlagsNeedsBinaryAndDir(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr bool
	}{
		{"both given", []string{"-leadstatus", "/x/leadstatus", "-dir", "/tmp/x"}, false},         // the way run.sh calls it
		{"no binary", []string{"-dir", "/tmp/x"}, true},                                           // nothing to measure
		{"no dir", []string{"-leadstatus", "/x/leadstatus"}, true},                                // nowhere to generate files
		{"unknown flag", []string{"-leadstatus", "b", "-dir", "d", "-nope"}, true},                // a typo is not ignored
		{"steps", []string{"-leadstatus", "b", "-dir", "d", "-steps", "noise,shed"}, false},       // a few scenarios alone
		{"unknown step", []string{"-leadstatus", "b", "-dir", "d", "-steps", "local cost"}, true}, // a typo is not ignored
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		_, err := parseFlags(tt.args, &stderr)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: error %v, want error %v", tt.name, err, tt.wantErr)
		}
	}
}

// TestFloorMain checks the child mode the suite measures: it prints the row
// count the suite verifies, and refuses bad arguments.
func TestFloorMain(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	if err := bench.WriteCSV(in, 123); err != nil {
		t.Fatal(err)
	}
	f, err := bench.StartFake(t.Context(), fake.Options{Leads: 1000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	tests := []struct {
		name     string
		mode     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"CSV floor", "floor-csv", []string{in, filepath.Join(dir, "out.csv")}, 0, "123\n"}, // rows read, report written
		{"missing output", "floor-csv", []string{in}, 2, ""},                                // usage error
		{"missing input", "floor-xlsx", []string{filepath.Join(dir, "none.xlsx")}, 1, ""},   // a read error
		{"pool floor", "floor-pool", []string{f.URL, "40", "4"}, 0, "40\n"},                 // updates that succeeded
		{"pool floor, no workers given", "floor-pool", []string{f.URL, "40"}, 2, ""},        // usage error
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := floorMain(tt.mode, tt.args, &stdout, &stderr)
		if code != tt.wantCode || stdout.String() != tt.wantOut {
			t.Errorf("%s: code %d, output %q; want %d, %q (stderr %s)", tt.name, code, stdout.String(), tt.wantCode, tt.wantOut, strings.TrimSpace(stderr.String()))
		}
	}
	// The pool floor's updates are real ones: each applied once.
	if tr := bench.Analyze(f.Server.Requests()); tr.Posts != 40 {
		t.Errorf("the fake saw %d status updates from the pool floor, want 40", tr.Posts)
	}
}
