package source

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// content is what a file's first bytes say it is, whatever its name.
type content int

const (
	contentEmpty content = iota
	contentText
	contentZip
	contentOLE
	contentBinary
)

const (
	zipMagic      = "PK\x03\x04"
	zipEmptyMagic = "PK\x05\x06"
	oleMagic      = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
	utf8BOM       = "\xEF\xBB\xBF"
)

// binaryWindow is how far into a file a NUL byte marks it as binary.
const binaryWindow = 1024

// classify sniffs the magic bytes of a file's prefix.
func classify(prefix []byte) content {
	switch {
	case len(prefix) == 0:
		return contentEmpty
	case bytes.HasPrefix(prefix, []byte(zipMagic)), bytes.HasPrefix(prefix, []byte(zipEmptyMagic)):
		return contentZip
	case bytes.HasPrefix(prefix, []byte(oleMagic)):
		return contentOLE
	}
	if enc, _ := utf16BOM(prefix); enc != encDetect {
		return contentText
	}
	if utf16Guess(prefix) != encDetect {
		return contentText
	}
	window := prefix[:min(len(prefix), binaryWindow)]
	if bytes.IndexByte(window, 0) >= 0 {
		return contentBinary
	}
	return contentText
}

// delimiters are the candidates, in tie-break order.
const delimiters = "\t,;|"

// sniffRecords is how many records of the sample the sniffer looks at.
const sniffRecords = 50

// sniffDelimiter picks the delimiter that splits the header (the first
// non-blank record of sample) into more than one field and splits the
// following records into the same number of fields most consistently.
// Delimiters inside quoted fields do not count. complete says sample is the
// whole file, so its last record is not cut short. preferTab keeps tab unless
// tab does not split the header and another candidate does (a .tsv file).
// With no candidate a file has one column, and comma is as good as any.
func sniffDelimiter(sample []byte, complete, preferTab bool) byte {
	best, bestScore := byte(0), -1.0
	for _, d := range []byte(delimiters) {
		score := delimiterScore(sample, complete, d)
		if score < 0 {
			continue
		}
		if d == '\t' && preferTab {
			return d
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	switch {
	case best != 0:
		return best
	case preferTab:
		return '\t'
	}
	return ','
}

// minConsistency is the share of sample records that must have the header's
// field count; a few ragged rows do not hide the delimiter.
const minConsistency = 0.5

// delimiterScore returns the share of records after the header that have as
// many fields as the header under delimiter d, or -1 when d does not qualify.
func delimiterScore(sample []byte, complete bool, d byte) float64 {
	cr := csv.NewReader(bytes.NewReader(sample))
	cr.Comma = rune(d)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	counts := make([]int, 0, sniffRecords)
	atEnd := false
	for len(counts) < sniffRecords {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			atEnd = true
			break
		}
		if err != nil {
			return -1
		}
		if blankRecord(rec) {
			continue
		}
		counts = append(counts, len(rec))
	}
	// The sample may end inside its last record.
	if !complete && atEnd && len(counts) > 1 {
		counts = counts[:len(counts)-1]
	}
	if len(counts) == 0 || counts[0] < 2 {
		return -1
	}
	if len(counts) == 1 {
		return 1
	}
	same := 0
	for _, n := range counts[1:] {
		if n == counts[0] {
			same++
		}
	}
	score := float64(same) / float64(len(counts)-1)
	if score < minConsistency {
		return -1
	}
	return score
}

// blankRecord reports whether every cell is empty or whitespace.
func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
