package mapping

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is what a mapping file says, as plain values: what a front end
// shows as choices and writes back with Marshal. Fields are named as the
// mapping file names them ("lead", "outcome", …).
type File struct {
	HeaderRow     int                          // 0 = find the header
	Columns       map[string]string            // field → header
	Values        map[string]map[string]string // field → cell → value to use
	Ignore        []string                     // headers only carried
	Defaults      map[string]string            // field → value
	ListSeparator string                       // "" = the default ";"
	DecimalComma  bool
}

// FieldNames are the fields a column can supply, in the mapping file's words.
func FieldNames() []string {
	n := fieldNames()
	return n[:]
}

// CellKey is the form in which cells and values: entries compare: case
// and runs of spaces ignored.
func CellKey(s string) string { return nameKey(s) }

// File returns what c says; a nil c says nothing.
func (c *Config) File() File {
	f := File{Columns: map[string]string{}, Values: map[string]map[string]string{}, Defaults: map[string]string{}}
	if c == nil {
		return f
	}
	f.HeaderRow, f.DecimalComma = c.headerRow, c.decimalComma
	if c.separator != defaultSeparator {
		f.ListSeparator = c.separator
	}
	for i, col := range c.columns {
		if col.header != "" {
			f.Columns[field(i).String()] = col.header
		}
	}
	for i, m := range c.values {
		if len(m) == 0 {
			continue
		}
		v := make(map[string]string, len(m))
		for key, to := range m {
			cell := key
			if s := c.spelled[i][key]; s != "" {
				cell = s
			}
			v[cell] = to
		}
		f.Values[field(i).String()] = v
	}
	for i, d := range c.defaults {
		if d != "" {
			f.Defaults[field(i).String()] = d
		}
	}
	for _, ig := range c.ignore {
		f.Ignore = append(f.Ignore, ig.header)
	}
	return f
}

// Marshal writes f as a mapping file that ParseConfig reads back to f, and
// checks that it does: an error names what the file would refuse.
func (f File) Marshal() ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) {
		root.Content = append(root.Content, plain(key), v)
	}
	if f.HeaderRow > 0 {
		add("header_row", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(f.HeaderRow)})
	}
	if n := fieldMap(f.Columns); n != nil {
		add("columns", n)
	}
	var values []*yaml.Node
	for _, name := range FieldNames() {
		m := f.Values[name]
		if len(m) == 0 {
			continue
		}
		cells := make([]string, 0, len(m))
		for cell := range m {
			cells = append(cells, cell)
		}
		slices.SortFunc(cells, func(a, b string) int { return strings.Compare(nameKey(a), nameKey(b)) })
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, cell := range cells {
			n.Content = append(n.Content, scalar(cell), scalar(m[cell]))
		}
		values = append(values, plain(name), n)
	}
	if len(values) > 0 {
		add("values", &yaml.Node{Kind: yaml.MappingNode, Content: values})
	}
	if len(f.Ignore) > 0 {
		n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, h := range f.Ignore {
			n.Content = append(n.Content, scalar(h))
		}
		add("ignore", n)
	}
	if n := fieldMap(f.Defaults); n != nil {
		add("defaults", n)
	}
	if f.ListSeparator != "" && f.ListSeparator != defaultSeparator {
		add("list_separator", scalar(f.ListSeparator))
	}
	if f.DecimalComma {
		add("decimal_separator", scalar(","))
	}
	var out []byte
	if len(root.Content) > 0 {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2) // as the README's examples
		if err := enc.Encode(root); err != nil {
			return nil, fmt.Errorf("write the mapping file: %w", err)
		}
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("write the mapping file: %w", err)
		}
		out = buf.Bytes()
	}
	if _, err := ParseConfig(out); err != nil {
		return nil, err
	}
	return out, nil
}

// fieldMap is a mapping of field names to text, in the fields' order.
func fieldMap(m map[string]string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, name := range FieldNames() {
		if v, ok := m[name]; ok && v != "" {
			n.Content = append(n.Content, plain(name), scalar(v))
		}
	}
	if len(n.Content) == 0 {
		return nil
	}
	return n
}

// scalar is text kept as text: quoted so "007" or "yes" stay what they say.
func scalar(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
}

// plain is a key the mapping file defines (columns, lead, …).
func plain(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
