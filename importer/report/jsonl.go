package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
)

// jsonlEncoder writes one JSON object per line:
//
//	{"input":{"Lead":"1006-leads","Status":"won"},"import_row":2,"import_result":"succeeded",...}
//
// The input cells sit in their own object, in input column order, so that an
// input column named like an import_* column (a report fed back as input)
// cannot collide with the importer's own keys, and jq users write
// .input.Email and .import_result. The importer's numbers are JSON numbers;
// 0 HTTP status or attempts is null. Text is written as is: JSONL is not read
// by spreadsheets, so it is not neutralised.
type jsonlEncoder struct {
	sink
	keys [][]byte      // JSON-encoded input keys, each with its trailing ':'
	line bytes.Buffer  // reused for each row
	str  bytes.Buffer  // scratch for one encoded string
	enc  *json.Encoder // encodes strings into str without HTML escaping
}

// NewJSONL returns an Encoder that writes a JSON Lines report to w. JSONL has
// no header line; the input column names become the keys of "input"
// (duplicates get "_2", "_3", ...; an empty name becomes "column_N").
// Close flushes but does not close w.
func NewJSONL(w io.Writer, inputColumns []string) (Encoder, error) {
	return newJSONL(w, nil, "", inputColumns), nil
}

func newJSONL(w io.Writer, closer io.Closer, name string, inputColumns []string) *jsonlEncoder {
	e := &jsonlEncoder{sink: newSink(w, closer, name)}
	e.enc = json.NewEncoder(&e.str)
	e.enc.SetEscapeHTML(false)
	for _, k := range uniqueKeys(inputColumns) {
		key := append([]byte(nil), e.quote(k)...)
		e.keys = append(e.keys, append(key, ':'))
	}
	return e
}

// Write appends one row as one line.
func (e *jsonlEncoder) Write(r Row) error {
	if err := e.usable(); err != nil {
		return err
	}
	b := &e.line
	b.Reset()
	b.WriteString(`{"input":{`)
	for i, k := range e.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(k)
		b.Write(e.quote(cell(r.Cells, i)))
	}
	b.WriteString(`}`)
	for f := range numFields {
		b.WriteString(`,"`)
		b.WriteString(f.name())
		b.WriteString(`":`)
		switch {
		case f.optional():
			b.WriteString(jsonOptionalInt(r.number(f)))
		case f.numeric():
			b.WriteString(strconv.Itoa(r.number(f)))
		default:
			b.Write(e.quote(r.text(f)))
		}
	}
	b.WriteString("}\n")
	return e.write(b.Bytes())
}

// quote returns s as a JSON string. The result is valid until the next call.
func (e *jsonlEncoder) quote(s string) []byte {
	e.str.Reset()
	// Encoding a string cannot fail; invalid UTF-8 becomes U+FFFD.
	_ = e.enc.Encode(s)
	return bytes.TrimSuffix(e.str.Bytes(), []byte("\n"))
}

func jsonOptionalInt(n int) string {
	if n == 0 {
		return "null"
	}
	return strconv.Itoa(n)
}

// uniqueKeys names the input columns for JSON: a repeated name gets "_2",
// "_3", ... (skipping names already taken), an empty one "column_N" with N its
// 1-based position, so no two cells of a row share a key.
func uniqueKeys(columns []string) []string {
	taken := make(map[string]bool, len(columns))
	for _, c := range columns {
		taken[c] = true
	}
	seen := make(map[string]bool, len(columns))
	keys := make([]string, len(columns))
	for i, c := range columns {
		k := c
		if k == "" {
			k = "column_" + strconv.Itoa(i+1)
		}
		if seen[k] {
			for n := 2; ; n++ {
				cand := k + "_" + strconv.Itoa(n)
				if !seen[cand] && !taken[cand] {
					k = cand
					break
				}
			}
		}
		seen[k] = true
		keys[i] = k
	}
	return keys
}
