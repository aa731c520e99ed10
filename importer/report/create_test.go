package report

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestCreateFormats(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		prefix string // how the file starts once closed
	}{
		{"csv", "r.csv", "\ufeffLead,import_row,"},      // CSV with BOM and header
		{"csv upper case", "R.CSV", "\ufeffLead,"},      // extension case does not matter
		{"jsonl", "r.jsonl", `{"input":{"Lead":"1006"`}, // JSONL line
		{"xlsx", "r.xlsx", "PK"},                        // a zip archive
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeReport(t, tt.file, []string{"Lead"}, []Row{{Number: 2, Cells: []string{"1006"}, Result: Succeeded}})
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(data), tt.prefix) {
				t.Errorf("file starts %q, want %q", data[:min(len(data), 40)], tt.prefix)
			}
		})
	}
}

func TestCreateRejects(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		exists  bool
		force   bool
		wantErr func(error) bool
		message string // part of the message the user sees
	}{
		// An unknown extension names the allowed ones.
		{"bad extension", "r.txt", false, false, isFormatError, ".csv, .xlsx or .jsonl"},
		// No extension at all.
		{"no extension", "report", false, false, isFormatError, "no extension"},
		// An existing file is kept and the user told how to proceed.
		{"exists", "r.csv", true, false, isExists, "--force"},
		// An existing XLSX likewise.
		{"exists xlsx", "r.xlsx", true, false, isExists, "--report"},
		// --force overwrites.
		{"force", "r.csv", true, true, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			const old = "precious data"
			if tt.exists {
				if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			enc, err := Create(path, []string{"Lead"}, tt.force)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if err := enc.Close(); err != nil {
					t.Fatal(err)
				}
				data, _ := os.ReadFile(path)
				if strings.Contains(string(data), old) {
					t.Error("forced Create kept the old content")
				}
				return
			}
			if !tt.wantErr(err) || !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("Create error = %v; want its kind and %q", err, tt.message)
			}
			if tt.exists {
				if data, _ := os.ReadFile(path); string(data) != old {
					t.Error("refused Create changed the existing file")
				}
			}
		})
	}
}

func isFormatError(err error) bool {
	var f *FormatError
	return errors.As(err, &f)
}

func isExists(err error) bool {
	var e *ExistsError
	return errors.As(err, &e) && errors.Is(err, fs.ErrExist)
}

func TestDefaultPath(t *testing.T) {
	now := time.Date(2024, 3, 9, 14, 5, 7, 0, time.UTC)
	tests := []struct {
		input, want string
	}{
		{"leads.csv", "leads.report-20240309-140507.csv"},                                                // current directory
		{filepath.Join("data", "leads.xlsx"), filepath.Join("data", "leads.report-20240309-140507.csv")}, // beside the input, always .csv
		{"-", "stdin.report-20240309-140507.csv"},                                                        // standard input
		{"leads", "leads.report-20240309-140507.csv"},                                                    // no extension
		{"my.leads.tsv", "my.leads.report-20240309-140507.csv"},                                          // only the last extension goes
		{".csv", ".csv.report-20240309-140507.csv"},                                                      // a name that is all extension
	}
	for _, tt := range tests {
		if got := DefaultPath(tt.input, now); got != tt.want {
			t.Errorf("DefaultPath(%q) = %q, want %q", tt.input, got, tt.want)
		}
	}
}

// Reports and their meta files hold customer data: readable by their owner
// only, also when --force overwrites one that was readable by all.
func TestReportIsPrivate(t *testing.T) {
	for _, ext := range []string{".csv", ".jsonl", ".xlsx"} {
		for _, force := range []bool{false, true} {
			path := filepath.Join(t.TempDir(), "r"+ext)
			if force {
				if err := os.WriteFile(path, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			enc, err := Create(path, []string{"lead"}, force)
			if err != nil {
				t.Fatal(err)
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			if err := WriteMeta(path, Meta{Input: "in.csv", InputSHA256: "ab"}, force); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{path, MetaPath(path)} {
				info, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
					t.Errorf("%s (force %v): mode %v, want 0600", filepath.Base(p), force, info.Mode().Perm())
				}
			}
		}
	}
}
