package mapping

import (
	"slices"
	"strconv"
	"strings"
)

// Spec says which column supplies which field, for one input header.
type Spec struct {
	width    int               // cells in the header
	carried  []int             // positions of the carried columns
	columns  []string          // their headers
	col      [numFields]int    // position of each field's column; -1 when absent
	colName  [numFields]string // the user's header text, for messages
	values   [numFields]map[string]string
	skips    bool // some value maps to skip
	defaults [numFields]string
	sep      string
	comma    bool // text numbers use a decimal comma
}

// HeaderError reports a header row that cannot be mapped.
type HeaderError struct {
	Msg string // one sentence naming the columns involved
	// Kind, Columns and Near say the same for a front end that words it
	// its own way: the kind of problem, the headers involved and, for a
	// near miss, the name each is close to.
	Kind    HeaderProblem
	Columns []string
	Near    []string
}

// HeaderProblem is the kind of a HeaderError.
type HeaderProblem string

// The kinds of HeaderError.
const (
	ProblemNearMiss      HeaderProblem = "near_miss"      // headers close to a field's name, not read
	ProblemSameField     HeaderProblem = "same_field"     // two columns read as one field
	ProblemNoLead        HeaderProblem = "no_lead"        // no column of leads
	ProblemMissingHeader HeaderProblem = "missing_header" // the mapping file names a header the file lacks
	ProblemOutcomeColumn HeaderProblem = "outcome_column" // a column of outcomes not read
)

// Error returns the message.
func (e *HeaderError) Error() string { return e.Msg }

// NewSpec recognises the columns of a header, following cfg where it names
// columns (cfg may be nil). Errors are *HeaderError.
//
// A field that cfg maps to a header is taken from that column only; another
// column that would be recognised by its standard name for the same field is
// then carried like any other column.
//
// A header that is no field's name but is close to one ("Outcom", "Prce")
// is an error unless the mapping file maps or ignores it: carried unread, it
// would send every row without that field.
func NewSpec(header []string, cfg *Config) (*Spec, error) {
	s, errs := CheckHeader(header, cfg)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return s, nil
}

// CheckHeader is NewSpec that goes on past a problem to find every one, so
// a front end can list them all at once; errors are *HeaderError, the first
// the one NewSpec returns. The Spec is nil when the mapping file names a
// header the file does not have.
func CheckHeader(header []string, cfg *Config) (*Spec, []error) {
	if cfg == nil {
		cfg = &Config{}
	}
	s := &Spec{width: len(header), values: cfg.values, defaults: cfg.defaults, sep: cfg.separator, comma: cfg.decimalComma}
	if s.sep == "" {
		s.sep = defaultSeparator
	}
	for _, m := range s.values {
		for _, v := range m {
			s.skips = s.skips || strings.EqualFold(v, SkipValue)
		}
	}
	for f := range s.col {
		s.col[f] = -1
	}
	for i, h := range header {
		if isImportColumn(h) {
			continue
		}
		s.carried = append(s.carried, i)
		s.columns = append(s.columns, h)
	}
	if err := s.placeConfigured(header, cfg); err != nil {
		return nil, []error{err}
	}
	var errs []error
	var misses []nearHeader
	for _, i := range s.carried {
		h := header[i]
		if isIgnored(h, cfg) || s.isConfigured(i, cfg) {
			continue
		}
		f, ok := recognise(h)
		if !ok {
			if k, near := nearMiss(h); near {
				misses = append(misses, nearHeader{h, k})
			}
			continue
		}
		if cfg.columns[f].header != "" {
			continue
		}
		if s.col[f] >= 0 {
			errs = append(errs, &HeaderError{Kind: ProblemSameField, Columns: []string{s.colName[f], h}, Msg: "columns " + strconv.Quote(s.colName[f]) + " and " + strconv.Quote(h) + " are both read as the " + f.String() + " field; rename or remove one, or choose one with a --mapping file (columns: " + f.String() + ": \"" + s.colName[f] + "\")"})
			continue
		}
		s.col[f], s.colName[f] = i, h
	}
	if err := nearMissError(misses); err != nil {
		errs = append(errs, err)
	}
	if s.col[fLead] < 0 && s.col[fLeadNumber] < 0 {
		errs = append(errs, &HeaderError{Kind: ProblemNoLead, Msg: "no lead column among the headers " + quoteList(s.columns) + "; name the column of lead IDs \"lead_id\" (or of lead numbers \"lead_number\"), or map yours with a --mapping file (columns: lead: \"Your Header\")"})
	}
	return s, errs
}

// nearHeader is a header close to a known name.
type nearHeader struct {
	header string
	known  knownHeader
}

// nearMissError reports every header close to a field's name at once, so
// one run shows all there is to fix.
func nearMissError(misses []nearHeader) error {
	if len(misses) == 0 {
		return nil
	}
	err := nearMissMessage(misses)
	for _, m := range misses {
		err.Columns = append(err.Columns, m.header)
		err.Near = append(err.Near, m.known.name)
	}
	err.Kind = ProblemNearMiss
	return err
}

func nearMissMessage(misses []nearHeader) *HeaderError {
	switch len(misses) {
	case 1:
		h, k := misses[0].header, misses[0].known
		return &HeaderError{Msg: "header " + strconv.Quote(h) + " is close to " + strconv.Quote(k.name) + " but is not read as the " + k.f.String() + " field, so its cells would not be sent; rename it " + strconv.Quote(k.name) + ", map it in a --mapping file (columns: " + k.f.String() + ": " + strconv.Quote(h) + "), or keep it as a carried column (ignore: [" + strconv.Quote(h) + "])"}
	}
	pairs := make([]string, len(misses))
	headers := make([]string, len(misses))
	for i, m := range misses {
		pairs[i] = strconv.Quote(m.header) + " is close to " + strconv.Quote(m.known.name)
		headers[i] = m.header
	}
	first := misses[0]
	return &HeaderError{Msg: strconv.Itoa(len(misses)) + " headers are close to a field's name but are not read, so their cells would not be sent (" + strings.Join(pairs, ", ") + "); rename each to the name, map it in a --mapping file (columns: " + first.known.f.String() + ": " + strconv.Quote(first.header) + "), or keep it as a carried column (ignore: [" + strings.Join(quoteEach(headers), ", ") + "])"}
}

func quoteEach(list []string) []string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return q
}

// placeConfigured finds the columns the mapping file names.
func (s *Spec) placeConfigured(header []string, cfg *Config) error {
	for f, c := range cfg.columns {
		if c.header == "" {
			continue
		}
		found := -1
		for _, i := range s.carried {
			if !strings.EqualFold(strings.TrimSpace(header[i]), c.header) {
				continue
			}
			if found >= 0 {
				return &HeaderError{Kind: ProblemMissingHeader, Columns: []string{c.header}, Msg: "the mapping file (line " + strconv.Itoa(c.line) + ") maps " + field(f).String() + " to " + strconv.Quote(c.header) + ", but two columns have that header; rename one of them"}
			}
			found = i
		}
		if found < 0 {
			fix := "correct the header text in the mapping file"
			if c.comment {
				fix = "a # after a space starts a YAML comment, so put the header in quotes"
			}
			return &HeaderError{Kind: ProblemMissingHeader, Columns: []string{c.header}, Msg: "the mapping file (line " + strconv.Itoa(c.line) + ") maps " + field(f).String() + " to the header " + strconv.Quote(c.header) + ", which the file does not have (headers: " + quoteList(s.columns) + "); " + fix}
		}
		s.col[f], s.colName[f] = found, header[found]
	}
	return nil
}

// isConfigured reports whether column i is one the mapping file named.
func (s *Spec) isConfigured(i int, cfg *Config) bool {
	for f, c := range cfg.columns {
		if c.header != "" && s.col[f] == i {
			return true
		}
	}
	return false
}

// isIgnored reports whether the mapping file lists header under ignore.
func isIgnored(header string, cfg *Config) bool {
	for _, ig := range cfg.ignore {
		if strings.EqualFold(strings.TrimSpace(header), ig.header) {
			return true
		}
	}
	return false
}

// NotSent returns the carried headers that feed no field, in input order:
// what the summary lists as carried into the report but not sent.
func (s *Spec) NotSent() []string {
	var out []string
	for j, i := range s.carried {
		if !slices.Contains(s.col[:], i) {
			out = append(out, s.columns[j])
		}
	}
	return out
}

// Columns returns the headers carried into the report: the input's headers
// minus those starting with "import_".
func (s *Spec) Columns() []string { return append([]string(nil), s.columns...) }

func quoteList(list []string) string {
	if len(list) == 0 {
		return "(none)"
	}
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
