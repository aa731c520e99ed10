package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// defaultSeparator separates the items of a list cell unless the mapping
// file says otherwise.
const defaultSeparator = ";"

// Config is a parsed mapping file: the header that supplies each field, cell
// values to translate, defaults, and the separator of list cells. A nil or
// zero Config means: recognise columns by their standard names only.
type Config struct {
	columns   [numFields]configColumn
	values    [numFields]map[string]string // name key of a cell → value to use
	spelled   [numFields]map[string]string // name key of a cell → the cell as written
	defaults  [numFields]string
	separator string
	ignore    []configColumn // headers carried into the report but never read as a field
	// decimalComma reads prices and quantities written with a decimal comma
	// ("1.234,50"); number cells of an XLSX are read as numbers regardless.
	decimalComma bool
	// headerRow is the spreadsheet row of the header; 0 = find it.
	headerRow int
}

// SetDecimalComma says whether prices and quantities in text cells use a
// decimal comma ("1.234,50", "1,5"), as decimal_separator: "," does; for
// --decimal-comma.
func (c *Config) SetDecimalComma(on bool) { c.decimalComma = on }

// configColumn is one entry under columns: the header text and where the
// mapping file gave it, for error messages.
type configColumn struct {
	header string
	line   int
	// comment is set when a # comment follows the header on its line: an
	// unquoted "Deal #" is read as "Deal" and a comment.
	comment bool
}

// ConfigError reports a problem in a mapping file. Its message does not name
// the file: the caller, which knows the file name, prefixes it.
type ConfigError struct {
	Line int    // 1-based line in the mapping file; 0 when unknown
	Key  string // the offending key, when there is one
	Msg  string
}

// Error returns "line N: message".
func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.Msg
}

const topKeys = "columns, values, defaults, list_separator, ignore, decimal_separator, header_row"

// ParseConfig parses a mapping file. Every value is kept as the text written
// (an unquoted 007 stays "007"), unknown keys are errors, and errors are
// *ConfigError.
func ParseConfig(data []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	// Decoding into a Node keeps every scalar's text and line; KnownFields
	// is set too so no future change to a struct target can drop the check.
	dec.KnownFields(true)
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &Config{separator: defaultSeparator}, nil
		}
		return nil, yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, yamlError(err)
		}
		return nil, &ConfigError{Line: extra.Line, Msg: "the file holds more than one YAML document; keep only the first"}
	}
	root := deref(&doc)
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return &Config{separator: defaultSeparator}, nil
		}
		root = deref(root.Content[0])
	}
	if isNull(root) {
		return &Config{separator: defaultSeparator}, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, &ConfigError{Line: root.Line, Msg: "the file must be a YAML mapping with the keys " + topKeys}
	}
	c := &Config{separator: defaultSeparator}
	// The decimal separator is read first: defaults are checked with it.
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := deref(root.Content[i]); k.Value == "decimal_separator" {
			if err := c.parseDecimalSeparator(k, deref(root.Content[i+1])); err != nil {
				return nil, err
			}
		}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := deref(root.Content[i]), deref(root.Content[i+1])
		if prev, dup := seen[k.Value]; dup {
			return nil, &ConfigError{Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("key %q appears again (first on line %d); keep one", k.Value, prev)}
		}
		seen[k.Value] = k.Line
		var err error
		switch k.Value {
		case "columns":
			err = c.parseColumns(v)
		case "values":
			err = c.parseValues(v)
		case "defaults":
			err = c.parseDefaults(v)
		case "list_separator":
			err = c.parseSeparator(k, v)
		case "ignore":
			err = c.parseIgnore(k, v)
		case "header_row":
			err = c.parseHeaderRow(k, v)
		case "decimal_separator":
			// read above
		default:
			err = &ConfigError{Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("unknown key %q (known: %s)", k.Value, topKeys)}
		}
		if err != nil {
			return nil, err
		}
	}
	for _, ig := range c.ignore {
		for f, col := range c.columns {
			if col.header != "" && strings.EqualFold(col.header, ig.header) {
				return nil, &ConfigError{Line: ig.line, Key: "ignore", Msg: fmt.Sprintf("ignore: %q is also mapped to %s under columns (line %d); keep one", ig.header, field(f), col.line)}
			}
		}
	}
	return c, nil
}

func (c *Config) parseColumns(n *yaml.Node) error {
	return eachField(n, "columns", func(f field, k, v *yaml.Node) error {
		header := strings.TrimSpace(v.Value)
		if v.Kind != yaml.ScalarNode || isNull(v) || header == "" {
			return &ConfigError{Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("columns: %s needs the header text of your column, e.g. %s: \"Opportunity ID\"", k.Value, k.Value)}
		}
		for g, other := range c.columns {
			if other.header != "" && strings.EqualFold(other.header, header) {
				return &ConfigError{Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("columns: %s and %s both name the header %q; a column can supply only one field", field(g), f, header)}
			}
		}
		c.columns[f] = configColumn{header: header, line: k.Line, comment: v.LineComment != "" || k.LineComment != ""}
		return nil
	})
}

func (c *Config) parseValues(n *yaml.Node) error {
	return eachField(n, "values", func(f field, k, v *yaml.Node) error {
		if isNull(v) {
			return nil
		}
		if v.Kind != yaml.MappingNode {
			return &ConfigError{Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("values: %s must map cell values to the values to use, e.g. \"Closed Won\": Won", k.Value)}
		}
		m := make(map[string]string, len(v.Content)/2)
		from := make(map[string]string, len(v.Content)/2)
		for i := 0; i+1 < len(v.Content); i += 2 {
			ck, cv := deref(v.Content[i]), deref(v.Content[i+1])
			if ck.Kind != yaml.ScalarNode || cv.Kind != yaml.ScalarNode || isNull(cv) {
				return &ConfigError{Line: ck.Line, Key: ck.Value, Msg: fmt.Sprintf("values: %s: each entry must be a cell value and the text to use, e.g. \"Closed Won\": Won", k.Value)}
			}
			key := nameKey(ck.Value)
			if key == "" {
				return &ConfigError{Line: ck.Line, Key: ck.Value, Msg: fmt.Sprintf("values: %s: an empty cell cannot be translated; use defaults: %s: ... instead", k.Value, k.Value)}
			}
			if prev, dup := from[key]; dup {
				return &ConfigError{Line: ck.Line, Key: ck.Value, Msg: fmt.Sprintf("values: %s: %q and %q are the same cell value (case and spaces are ignored); keep one", k.Value, prev, ck.Value)}
			}
			from[key] = ck.Value
			m[key] = strings.TrimSpace(cv.Value)
		}
		c.values[f], c.spelled[f] = m, from
		return nil
	})
}

func (c *Config) parseDefaults(n *yaml.Node) error {
	return eachField(n, "defaults", func(f field, k, v *yaml.Node) error {
		if f == fLead || f == fLeadNumber {
			return &ConfigError{Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("defaults: %s cannot have a default, since every row must name its own lead; remove it", k.Value)}
		}
		val := strings.TrimSpace(v.Value)
		if v.Kind != yaml.ScalarNode || isNull(v) || val == "" {
			return &ConfigError{Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("defaults: %s needs a value, e.g. currency: USD", k.Value)}
		}
		// Check what can be checked without the API now, so a bad default
		// is reported once here rather than on every row.
		reason := ""
		switch f {
		case fCurrency:
			var ok bool
			if val, ok = parseCurrency(val); !ok {
				reason = currencyReason(v.Value)
			}
		case fQuantity:
			_, reason = parseQuantity(val, c.decimalComma)
		case fPrice:
			_, reason = parsePrice(val, c.decimalComma)
		}
		if reason != "" {
			return &ConfigError{Line: k.Line, Key: k.Value, Msg: "defaults: " + k.Value + ": " + reason}
		}
		c.defaults[f] = val
		return nil
	})
}

func (c *Config) parseSeparator(k, v *yaml.Node) error {
	if v.Kind != yaml.ScalarNode || isNull(v) || v.Value == "" {
		return &ConfigError{Line: k.Line, Key: k.Value, Msg: "list_separator is empty; give the text that separates list items, e.g. list_separator: \";\""}
	}
	c.separator = v.Value
	return nil
}

func (c *Config) parseDecimalSeparator(k, v *yaml.Node) error {
	switch {
	case v.Kind == yaml.ScalarNode && v.Value == ",":
		c.decimalComma = true
	case v.Kind == yaml.ScalarNode && v.Value == ".":
		c.decimalComma = false
	default:
		return &ConfigError{Line: k.Line, Key: k.Value, Msg: "decimal_separator must be \",\" (for 1.234,50) or \".\" (for 1,234.50, the default)"}
	}
	return nil
}

func (c *Config) parseHeaderRow(k, v *yaml.Node) error {
	n, err := strconv.Atoi(strings.TrimSpace(v.Value))
	if v.Kind != yaml.ScalarNode || err != nil || n < 1 || n > 1048576 {
		return &ConfigError{Line: k.Line, Key: k.Value, Msg: "header_row must be the spreadsheet row number of the column names, e.g. header_row: 4"}
	}
	c.headerRow = n
	return nil
}

func (c *Config) parseIgnore(k, v *yaml.Node) error {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		return &ConfigError{Line: k.Line, Key: k.Value, Msg: "ignore must be a list of headers, e.g. ignore: [\"Deal Name\", Owner]"}
	}
	for _, item := range v.Content {
		item = deref(item)
		header := strings.TrimSpace(item.Value)
		if item.Kind != yaml.ScalarNode || isNull(item) || header == "" {
			return &ConfigError{Line: item.Line, Key: k.Value, Msg: "ignore: each item must be the text of a header, e.g. \"Deal Name\""}
		}
		for _, prev := range c.ignore {
			if strings.EqualFold(prev.header, header) {
				return &ConfigError{Line: item.Line, Key: k.Value, Msg: fmt.Sprintf("ignore: %q appears again (first on line %d); keep one", header, prev.line)}
			}
		}
		c.ignore = append(c.ignore, configColumn{header: header, line: item.Line, comment: item.LineComment != ""})
	}
	return nil
}

// eachField calls fn for each entry of a section keyed by field names.
func eachField(n *yaml.Node, section string, fn func(f field, k, v *yaml.Node) error) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return &ConfigError{Line: n.Line, Key: section, Msg: fmt.Sprintf("%s must be a mapping of field names (%s) to values", section, knownFieldList())}
	}
	var seen [numFields]int
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		f, ok := fieldByName(k.Value)
		if k.Kind != yaml.ScalarNode || !ok {
			return &ConfigError{Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("%s: unknown field %q (known: %s)", section, k.Value, knownFieldList())}
		}
		if seen[f] != 0 {
			return &ConfigError{Line: k.Line, Key: k.Value, Msg: fmt.Sprintf("%s: %s appears again (first on line %d); keep one", section, f, seen[f])}
		}
		seen[f] = k.Line
		if err := fn(f, k, v); err != nil {
			return err
		}
	}
	return nil
}

// deref follows YAML aliases (*name) to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// yamlError turns a YAML syntax error ("yaml: line 3: did not find expected
// key") into a *ConfigError with the line split out.
func yamlError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				line, msg = n, after
			}
		}
	}
	return &ConfigError{Line: line, Msg: "not valid YAML (" + msg + "); check the indentation and quote values that contain a colon or #"}
}
