package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/leadstatus/leadstatus/importer/source"
)

// OpenRows opens a report of any format for reading row by row: a .jsonl
// report by its keys, anything else (.csv, .xlsx) as a spreadsheet through
// source.Open with opts. The header is the input columns followed by the
// import_* columns; each row's cells follow the header. A JSONL report's
// header is the first line's "input" keys, then the import_* keys it knows
// in the order written, and its rows are numbered as the CSV report's lines would
// be (first row 2). A file without import_row, import_result and
// import_lead_id gives a *NotReportError; a damaged JSONL line before the
// last a *CorruptError from Next, while a last line cut off by a killed run is
// left out.
func OpenRows(path string, opts source.Options) (source.Reader, error) {
	if strings.EqualFold(filepath.Ext(path), ".jsonl") {
		r, err := openJSONLRows(path, true)
		if err == nil && r.header == nil {
			r.Close()
			err = &NotReportError{Path: path, Reason: "it has no complete line"}
		}
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	src, err := source.Open(path, opts)
	if err != nil {
		return nil, err
	}
	if _, err := findColumns(path, src.Header()); err != nil {
		src.Close()
		return nil, err
	}
	return src, nil
}

// jsonlRows reads a JSONL report as a source.Reader.
type jsonlRows struct {
	path      string
	file      *os.File
	br        *bufio.Reader
	line      int          // lines read
	header    []string     // input keys, then import_* keys
	inputs    int          // how many of header are input keys
	fields    []field      // the field of each import_* column of header
	lineType  reflect.Type // see lineStruct
	wantInput bool         // decode the input cells (ReadPrevious needs none)
	cells     []string     // reused for each row
	pending   []byte       // the first line, read by openJSONLRows
	partial   bool         // the file ended with a line cut off
	input     map[string]json.RawMessage
}

// lineStruct is the type one JSONL line decodes into: the "input" object and
// one field per import_* column, each kept as raw JSON (nil when absent).
// Built from the field list, so the column names are written down once; a
// struct decodes about twice as fast as a map, and encoding/json's Token
// stream is slower still.
func lineStruct() reflect.Type {
	fields := make([]reflect.StructField, 1+numFields)
	raw := reflect.TypeFor[json.RawMessage]()
	fields[0] = reflect.StructField{Name: "Input", Type: raw, Tag: `json:"input"`}
	for f := range numFields {
		fields[1+f] = reflect.StructField{Name: fmt.Sprintf("F%d", f), Type: raw, Tag: reflect.StructTag(`json:"` + f.name() + `"`)}
	}
	return reflect.StructOf(fields)
}

// notJSONLReport is the complaint about a first line that is not a report's.
const notJSONLReport = "its first line is not a JSON object with import_row, import_result and import_lead_id"

// openJSONLRows reads the first line, which names the columns. A file whose
// only line was cut off gives a reader with no header and no rows.
func openJSONLRows(path string, wantInput bool) (*jsonlRows, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open report: %w", err)
	}
	r := &jsonlRows{path: path, file: f, br: bufio.NewReaderSize(f, csvBufferSize), lineType: lineStruct(), wantInput: wantInput}
	first, err := r.readLine()
	if errors.Is(err, io.EOF) && r.partial {
		return r, nil
	}
	if errors.Is(err, io.EOF) {
		f.Close()
		return nil, &NotReportError{Path: path, Reason: "it is empty"}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	input, top, err := keyOrder(first)
	if err != nil {
		f.Close()
		return nil, &NotReportError{Path: path, Reason: notJSONLReport}
	}
	r.header, r.inputs = input, len(input)
	for _, k := range top {
		if fl, ok := fieldNamed(k); ok && k == fl.name() {
			r.header = append(r.header, k)
			r.fields = append(r.fields, fl)
		}
	}
	if _, err := findColumns(path, r.header[r.inputs:]); err != nil {
		f.Close()
		return nil, &NotReportError{Path: path, Reason: notJSONLReport}
	}
	r.pending = first
	r.cells = make([]string, len(r.header))
	return r, nil
}

// readLine returns the next non-blank complete line; io.EOF at the end,
// where a line without its newline is one a killed run cut off.
func (r *jsonlRows) readLine() ([]byte, error) {
	for {
		text, err := r.br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			r.partial = len(bytes.TrimSpace(text)) > 0
			return nil, io.EOF
		}
		if err != nil {
			return nil, fmt.Errorf("read report %s: %w", r.path, err)
		}
		r.line++
		if text = bytes.TrimSpace(text); len(text) > 0 {
			return text, nil
		}
	}
}

// keyOrder returns the keys of a line's "input" object and its other keys,
// each in the order written.
func keyOrder(text []byte) (input, top []string, err error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	keys := func(each func(key string) error) error {
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return fmt.Errorf("not a JSON object (%v)", err)
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			if err := each(tok.(string)); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		return err
	}
	skip := func() error { return dec.Decode(new(json.RawMessage)) }
	err = keys(func(key string) error {
		if key != "input" {
			top = append(top, key)
			return skip()
		}
		return keys(func(k string) error {
			input = append(input, k)
			return skip()
		})
	})
	return input, top, err
}

func (r *jsonlRows) Header() []string { return append([]string(nil), r.header...) }

// HeaderRow is 1: the rows are numbered as in the CSV report.
func (r *jsonlRows) HeaderRow() int { return 1 }

// Next returns the next line's cells, placed by key; keys the first line
// lacked are left out. A line without import_row, import_result or
// import_lead_id is damaged. The cells are reused by the next call.
func (r *jsonlRows) Next() (source.Row, error) {
	text := r.pending
	r.pending = nil
	if r.header == nil {
		return source.Row{}, io.EOF
	}
	if text == nil {
		var err error
		if text, err = r.readLine(); err != nil {
			return source.Row{}, err
		}
	}
	if err := r.decode(text); err != nil {
		return source.Row{}, &CorruptError{Path: r.path, Line: r.line, Err: err}
	}
	return source.Row{Number: r.line + 1, Cells: r.cells}, nil
}

// decode fills r.cells from one line.
func (r *jsonlRows) decode(text []byte) error {
	v := reflect.New(r.lineType).Elem()
	if err := json.Unmarshal(text, v.Addr().Interface()); err != nil {
		return err
	}
	if r.wantInput {
		clear(r.input)
		if raw := v.Field(0).Bytes(); raw != nil {
			if err := json.Unmarshal(raw, &r.input); err != nil {
				return fmt.Errorf(`"input" is not an object of cells: %w`, err)
			}
		}
		for i, key := range r.header[:r.inputs] {
			text, err := cellText(key, r.input[key])
			if err != nil {
				return err
			}
			r.cells[i] = text
		}
	}
	for i, f := range r.fields {
		raw := v.Field(1 + int(f)).Bytes()
		if raw == nil && (f == fieldRow || f == fieldResult || f == fieldLeadID) {
			return errors.New("the line lacks import_row, import_result or import_lead_id")
		}
		text, err := cellText(f.name(), raw)
		if err != nil {
			return err
		}
		r.cells[r.inputs+i] = text
	}
	return nil
}

// cellText turns a raw JSON value into a cell's text: strings as they are,
// numbers and booleans as written, null or absent as empty.
func cellText(key string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	switch raw[0] {
	case '"':
		// Most strings need no unescaping: skip a second parse.
		if s := raw[1 : len(raw)-1]; bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
			return string(s), nil
		}
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case 'n':
		return "", nil
	case '{', '[':
		return "", fmt.Errorf("%q holds an object or a list, not a cell's value", key)
	}
	return string(raw), nil
}

func (r *jsonlRows) Warnings() []string { return nil }

func (r *jsonlRows) Close() error { return r.file.Close() }
