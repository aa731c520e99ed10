package report

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestMetaRoundTrip(t *testing.T) {
	report := filepath.Join(t.TempDir(), "r.csv")
	want := Meta{
		Input:       "leads.csv",
		InputSHA256: "ab12",
		InputSize:   42,
		Started:     time.Date(2024, 3, 9, 14, 5, 7, 123, time.FixedZone("CET", 3600)),
		Tool:        "leadstatus 1.0.0",
		Args:        []string{"--rate", "5/s", "leads.csv"},
	}
	if err := WriteMeta(report, want, false); err != nil {
		t.Fatal(err)
	}
	got, err := ReadMeta(report)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Started.Equal(want.Started) {
		t.Errorf("Started = %v, want %v", got.Started, want.Started)
	}
	got.Started = want.Started
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadMeta = %+v, want %+v", got, want)
	}

	// A second run with the same report path must not replace the fingerprint.
	var exists *ExistsError
	if err := WriteMeta(report, Meta{InputSHA256: "other"}, false); !errors.As(err, &exists) {
		t.Fatalf("WriteMeta over an existing file = %v, want *ExistsError", err)
	}
	// Unless forced.
	if err := WriteMeta(report, Meta{InputSHA256: "other"}, true); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadMeta(report); err != nil || got.InputSHA256 != "other" {
		t.Fatalf("after forced WriteMeta: %+v, %v", got, err)
	}
}

func TestReadMetaErrors(t *testing.T) {
	tests := []struct {
		name     string
		content  *string // nil: no sidecar at all
		notExist bool
	}{
		// No sidecar: the error says so and matches fs.ErrNotExist.
		{"missing", nil, true},
		// Not JSON.
		{"garbage", ptr("not json"), false},
		// JSON without the fingerprint.
		{"no fingerprint", ptr(`{"input":"x"}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report := filepath.Join(t.TempDir(), "r.csv")
			if tt.content != nil {
				if err := os.WriteFile(MetaPath(report), []byte(*tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := ReadMeta(report)
			var merr *MetaError
			if !errors.As(err, &merr) {
				t.Fatalf("ReadMeta = %v, want *MetaError", err)
			}
			if errors.Is(err, fs.ErrNotExist) != tt.notExist {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v, want %v (%v)", !tt.notExist, tt.notExist, err)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func TestFingerprintFile(t *testing.T) {
	tests := []struct {
		data, sha string
	}{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},    // empty file
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}, // FIPS 180-2 example
	}
	for _, tt := range tests {
		sha, size, err := FingerprintFile(writeFile(t, "in.csv", tt.data))
		if err != nil {
			t.Fatal(err)
		}
		if sha != tt.sha || size != int64(len(tt.data)) {
			t.Errorf("FingerprintFile(%q) = %s, %d; want %s, %d", tt.data, sha, size, tt.sha, len(tt.data))
		}
	}
	if _, _, err := FingerprintFile(filepath.Join(t.TempDir(), "missing.csv")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("FingerprintFile of a missing file = %v, want fs.ErrNotExist", err)
	}
}
