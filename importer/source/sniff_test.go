package source

import (
	"strings"
	"testing"
)

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		name      string
		sample    string
		complete  bool
		preferTab bool
		want      byte
	}{
		// Plain comma.
		{name: "comma", sample: "a,b,c\n1,2,3\n", complete: true, want: ','},
		// Plain semicolon, with decimal commas in the data.
		{name: "semicolon decimals", sample: "a;b;c\n1;2,5;3\n4;5,5;6\n", complete: true, want: ';'},
		// Tab.
		{name: "tab", sample: "a\tb\n1\t2\n", complete: true, want: '\t'},
		// Pipe.
		{name: "pipe", sample: "a|b\n1|2\n", complete: true, want: '|'},
		// Commas inside quotes do not count.
		{name: "quoted commas", sample: "a;b\n\"x, y\";2\n\"z, w\";3\n", complete: true, want: ';'},
		// Semicolons inside quotes in a comma file.
		{name: "quoted semicolons", sample: "a,b\n\"x;y\",2\n\"z;w\",3\n", complete: true, want: ','},
		// One column: no delimiter, so comma.
		{name: "one column", sample: "id\n1\n2\n", complete: true, want: ','},
		// Tie between equally consistent candidates goes to the earlier one (tab before comma).
		{name: "tie", sample: "a\tb,c\n1\t2,3\n", complete: true, want: '\t'},
		// A few ragged rows do not hide the delimiter.
		{name: "ragged", sample: "a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11\n", complete: true, want: ','},
		// The cut-off last line of a partial sample is ignored.
		{name: "cut sample", sample: "a;b\n1;2\n3;4\n5,6,7,8,9", complete: false, want: ';'},
		// Blank lines before the header are skipped.
		{name: "leading blank lines", sample: "\n\n a;b\n1;2\n", complete: true, want: ';'},
		// .tsv keeps tab when tab splits the header.
		{name: "tsv prefers tab", sample: "a\tb\n1,2\t3\n", complete: true, preferTab: true, want: '\t'},
		// .tsv with no tab but clear commas.
		{name: "tsv without tabs", sample: "a,b\n1,2\n", complete: true, preferTab: true, want: ','},
		// .tsv with one column stays tab.
		{name: "tsv one column", sample: "a\n1\n", complete: true, preferTab: true, want: '\t'},
		// A header line longer than the sample still decides.
		{name: "huge header", sample: "a;b;" + strings.Repeat("x", 100), complete: false, want: ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sniffDelimiter([]byte(tt.sample), tt.complete, tt.preferTab); got != tt.want {
				t.Errorf("sniffDelimiter = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name   string
		prefix []byte
		want   content
	}{
		{name: "empty", prefix: nil, want: contentEmpty},                                             // nothing at all
		{name: "zip", prefix: []byte("PK\x03\x04xx"), want: contentZip},                              // XLSX and friends
		{name: "ole", prefix: append([]byte(oleMagic), 0, 0), want: contentOLE},                      // .xls or encrypted
		{name: "text", prefix: []byte("a,b\n"), want: contentText},                                   // ordinary CSV
		{name: "utf16 bom", prefix: []byte{0xFF, 0xFE, 'a', 0, '\t', 0}, want: contentText},          // NULs, but UTF-16
		{name: "utf16 no bom", prefix: []byte("a\x00,\x00b\x00\n\x00"), want: contentText},           // UTF-16LE without BOM
		{name: "binary", prefix: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), want: contentBinary}, // an image
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.prefix); got != tt.want {
				t.Errorf("classify = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDetectEncoding(t *testing.T) {
	tests := []struct {
		name         string
		prefix       []byte
		atEOF        bool
		want         encoding
		wantFallback bool
	}{
		{name: "ascii", prefix: []byte("a,b\n"), atEOF: true, want: encUTF8},                                        // plain
		{name: "utf8 bom", prefix: []byte("\xEF\xBB\xBFa"), atEOF: true, want: encUTF8},                             // BOM
		{name: "utf16le bom", prefix: []byte{0xFF, 0xFE, 'a', 0}, atEOF: true, want: encUTF16LE},                    // Excel Unicode Text
		{name: "utf16be bom", prefix: []byte{0xFE, 0xFF, 0, 'a'}, atEOF: true, want: encUTF16BE},                    // big-endian
		{name: "utf16be no bom", prefix: []byte("\x00a\x00,\x00b\x00\n"), atEOF: true, want: encUTF16BE},            // no BOM
		{name: "cp1252", prefix: []byte("Caf\xe9"), atEOF: true, want: encWindows1252, wantFallback: true},          // not UTF-8
		{name: "cut rune", prefix: []byte("Caf\xc3"), atEOF: false, want: encUTF8},                                  // prefix ends mid-rune
		{name: "cut rune at EOF", prefix: []byte("Caf\xc3"), atEOF: true, want: encWindows1252, wantFallback: true}, // file ends mid-rune
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fallback := detectEncoding(tt.prefix, tt.atEOF)
			if got != tt.want || fallback != tt.wantFallback {
				t.Errorf("detectEncoding = %v, %v; want %v, %v", got, fallback, tt.want, tt.wantFallback)
			}
		})
	}
}
