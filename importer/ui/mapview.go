package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// keepChoice is a column's choice "keep in the report only" (ignore:).
const keepChoice = "keep"

// Bounds of what the page shows of a file; the check reads it all.
const (
	previewAfterHeader = 5  // rows shown below the header
	maxPreviewCells    = 40 // columns shown of a row
	maxCellShown       = 60 // characters of a cell
	maxSamples         = 3  // sample values per column
	maxOutcomeValues   = 64 // distinct values of the outcome column listed
)

type previewRow struct {
	Number int      `json:"number"`
	Cells  []string `json:"cells"`
}

// problemView is one problem of the header, from the command line's rules.
type problemView struct {
	Kind    string   `json:"kind"`
	Text    string   `json:"text"` // the command line's message
	Columns []string `json:"columns,omitempty"`
	Near    []string `json:"near,omitempty"`
}

type outcomeValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	To    string `json:"to"` // "" = read as written; a name; or mapping.SkipValue
}

type outcomeView struct {
	Column      string         `json:"column"`
	Values      []outcomeValue `json:"values"`
	More        int            `json:"more"`  // distinct values not listed
	Names       []string       `json:"names"` // the outcomes to choose from
	FromAccount bool           `json:"from_account"`
	Note        string         `json:"note,omitempty"` // why the names are not the account's
}

// mapChoices is what the page posts: the header row (0 = found as the
// command line finds it), each column's field ("" = as read, "keep" = in
// the report only) and what each outcome cell means.
type mapChoices struct {
	HeaderRow int               `json:"header_row"`
	Columns   map[string]string `json:"columns"`
	Values    map[string]string `json:"values"`
}

// readColumns reads the copy as an import would, with the same header and
// column rules, for the page's map of it.
func (s *Server) readColumns(ctx context.Context, u *upload, client *nutshell.Client) fileView {
	v := fileView{Name: u.name, Sheet: u.sheet, Mapping: u.mappingName, MappingMade: u.mappingData != nil, Columns: []columnView{}, Warnings: []string{},
		Preview: []previewRow{}, Problems: []problemView{}, Fields: mapping.FieldNames(), HeaderChosen: u.config.HeaderRow() > 0}
	v.Preview, v.Error = s.preview(u)
	if v.Error != "" {
		return v
	}
	src, spec, ok := s.openColumns(u, &v)
	if !ok {
		return v
	}
	defer src.Close()
	var tally *mapping.OutcomeTally
	if spec != nil {
		tally = spec.OutcomeTally(u.config)
	}
	values, err := v.scanRows(src, tally)
	if err != nil {
		v.Error = u.hide(err.Error())
		return v
	}
	s.describeOutcomes(ctx, client, u, &v, tally, values)
	switch {
	case len(v.Problems) > 0:
		v.Why = "Sort out the problems listed above first: each one says what to choose."
	case spec == nil || !spec.Sends():
		v.Why = "No column says what to send: choose which column holds the outcome (Won, Lost, …), the products or the competitors."
	default:
		v.CanCheck = true
	}
	return v
}

// openColumns opens the copy with the same header rules as an import and
// fills v's header row, warnings, problems and columns; ok is false when
// there is nothing more to read (no header found, or an error in v).
func (s *Server) openColumns(u *upload, v *fileView) (src source.Reader, spec *mapping.Spec, ok bool) {
	cfg := u.config
	opts := source.Options{Sheet: u.sheet, Password: s.cfg.XLSXPassword, HeaderRow: cfg.HeaderRow(), IsHeader: mapping.IsHeader(cfg)}
	opts.HeaderWant, opts.HeaderFix = mapping.HeaderWant(cfg), mapping.HeaderFix(cfg)
	src, err := source.Open(u.path, opts)
	if errors.Is(err, source.ErrNoHeader) {
		v.Problems = append(v.Problems, problemView{Kind: "no_header", Text: u.hide(err.Error())})
		v.Why = "Choose the row that holds the column names, above the first rows of the file."
		v.trimPreview(0)
		return nil, nil, false
	}
	if err != nil {
		v.Error = u.hide(err.Error())
		return nil, nil, false
	}
	header := slices.Clone(src.Header())
	v.HeaderRow = src.HeaderRow()
	v.trimPreview(v.HeaderRow)
	for _, w := range src.Warnings() {
		v.Warnings = append(v.Warnings, u.hide(w))
	}
	spec, errs := mapping.CheckHeader(header, cfg)
	for _, err := range errs {
		v.addProblem(err, u)
	}
	choice := u.choices()
	for i, h := range header {
		c := columnView{Letter: source.ColumnName(i + 1), Header: h, Samples: []string{}, Choice: choice(h)}
		if spec != nil {
			c.Field = spec.FieldOf(i)
		}
		v.Columns = append(v.Columns, c)
	}
	if spec != nil {
		carried := spec.Columns()
		for i := range v.Columns {
			if len(carried) > 0 && carried[0] == header[i] {
				v.Columns[i].Carried = true
				carried = carried[1:]
			}
		}
	}
	return src, spec, true
}

// outcomeCounts are the distinct values of the outcome column with their
// counts; order keeps the first maxOutcomeValues as met.
type outcomeCounts struct {
	column int // the outcome column's index, -1 when none
	counts map[string]*outcomeValue
	order  []string
}

// scanRows reads every row once: the columns' samples, the outcome column's
// values and the tally of a column of outcomes not read.
func (v *fileView) scanRows(src source.Reader, tally *mapping.OutcomeTally) (*outcomeCounts, error) {
	oc := &outcomeCounts{column: slices.IndexFunc(v.Columns, func(c columnView) bool { return c.Field == "outcome" }), counts: map[string]*outcomeValue{}}
	for {
		row, err := src.Next()
		if errors.Is(err, io.EOF) {
			return oc, nil
		}
		if err != nil {
			return nil, err
		}
		v.Rows++
		tally.Add(row.Cells)
		for i := range v.Columns {
			if i >= len(row.Cells) || len(v.Columns[i].Samples) >= maxSamples {
				continue
			}
			cell := strings.TrimSpace(row.Cells[i])
			if cell != "" && !slices.Contains(v.Columns[i].Samples, cell) {
				v.Columns[i].Samples = append(v.Columns[i].Samples, shorten(cell))
			}
		}
		if oc.column >= 0 && oc.column < len(row.Cells) {
			oc.add(strings.TrimSpace(row.Cells[oc.column]))
		}
	}
}

func (oc *outcomeCounts) add(cell string) {
	if cell == "" {
		return
	}
	key := mapping.CellKey(cell)
	switch c := oc.counts[key]; {
	case c != nil:
		c.Count++
	case len(oc.order) < maxOutcomeValues:
		oc.counts[key] = &outcomeValue{Value: cell, Count: 1}
		oc.order = append(oc.order, key)
	default:
		oc.counts[key] = &outcomeValue{Value: cell, Count: 1}
	}
}

// describeOutcomes fills the outcome column's values, each with what it is
// mapped to and the account's outcomes to choose from, and adds a problem
// for a column of outcomes that is not read.
func (s *Server) describeOutcomes(ctx context.Context, client *nutshell.Client, u *upload, v *fileView, tally *mapping.OutcomeTally, oc *outcomeCounts) {
	var names []string
	if oc.column >= 0 || tally != nil {
		var note string
		names, note = s.outcomeNames(ctx, client)
		if oc.column >= 0 {
			v.Outcome = &outcomeView{Column: v.Columns[oc.column].Header, Values: []outcomeValue{}, FromAccount: names != nil, Note: note, More: len(oc.counts) - len(oc.order)}
		}
	}
	if err := tally.Check(names); err != nil {
		v.addProblem(err, u)
	}
	if v.Outcome == nil {
		return
	}
	given := u.file().Values["outcome"]
	for _, key := range oc.order {
		c := *oc.counts[key]
		for cell, to := range given {
			if mapping.CellKey(cell) == key {
				c.To = to
			}
		}
		v.Outcome.Values = append(v.Outcome.Values, c)
	}
	slices.SortStableFunc(v.Outcome.Values, func(a, b outcomeValue) int { return b.Count - a.Count })
	v.Outcome.Names = outcomeChoices(names, given)
}

// preview reads the first rows as the sheet shows them, before any header
// rule, so the person sees a title row and can pick the header.
func (s *Server) preview(u *upload) ([]previewRow, string) {
	rows := []previewRow{}
	src, err := source.Open(u.path, source.Options{Sheet: u.sheet, Password: s.cfg.XLSXPassword})
	if err != nil {
		return rows, u.hide(err.Error())
	}
	defer src.Close()
	rows = append(rows, previewRow{Number: src.HeaderRow(), Cells: shortenAll(src.Header())})
	for len(rows) < source.MaxHeaderSearch+previewAfterHeader {
		row, err := src.Next()
		if err != nil {
			break // the real read below says what is wrong
		}
		rows = append(rows, previewRow{Number: row.Number, Cells: shortenAll(row.Cells)})
	}
	return rows, ""
}

// trimPreview keeps the rows down to a few below the header (the first
// search's worth when there is none).
func (v *fileView) trimPreview(headerRow int) {
	last := source.MaxHeaderSearch
	for i, r := range v.Preview {
		if r.Number == headerRow {
			last = max(i+1+previewAfterHeader, 8)
		}
	}
	if len(v.Preview) > last {
		v.Preview = v.Preview[:last]
	}
}

func (v *fileView) addProblem(err error, u *upload) {
	p := problemView{Text: u.hide(err.Error())}
	var he *mapping.HeaderError
	if errors.As(err, &he) {
		p.Kind, p.Columns, p.Near = string(he.Kind), he.Columns, he.Near
	}
	v.Problems = append(v.Problems, p)
}

func shorten(s string) string {
	if r := []rune(s); len(r) > maxCellShown {
		return string(r[:maxCellShown-1]) + "…"
	}
	return s
}

func shortenAll(cells []string) []string {
	out := make([]string, 0, min(len(cells), maxPreviewCells))
	for _, c := range cells[:min(len(cells), maxPreviewCells)] {
		out = append(out, shorten(c))
	}
	return out
}

// outcomeChoices are the names to offer for an outcome cell: the account's
// (else the ones every account is taken to have), and any the mapping file
// already uses.
func outcomeChoices(names []string, given map[string]string) []string {
	if names == nil {
		names = []string{"Won", "Lost", "Cancelled"}
	}
	out := slices.Clone(names)
	for _, to := range given {
		if to != "" && !strings.EqualFold(to, mapping.SkipValue) && !slices.ContainsFunc(out, func(n string) bool { return strings.EqualFold(n, to) }) {
			out = append(out, to)
		}
	}
	return out
}

// outcomeNames reads the account's outcome names once per client; nil with
// a note when they cannot be read (the page then offers the usual ones).
func (s *Server) outcomeNames(ctx context.Context, client *nutshell.Client) ([]string, string) {
	if client == nil {
		return nil, "Sign in to see your account's outcomes; until then the usual ones are offered."
	}
	s.mu.Lock()
	if s.sess.outcomesFor == client {
		names := s.sess.outcomes
		s.mu.Unlock()
		return names, ""
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	list, err := client.Outcomes(ctx)
	if err != nil {
		return nil, "The account's outcomes could not be read (" + err.Error() + "), so the usual ones are offered; the check reads them again."
	}
	names := make([]string, 0, len(list))
	for _, o := range list {
		names = append(names, o.Name)
	}
	slices.Sort(names)
	s.mu.Lock()
	s.sess.outcomes, s.sess.outcomesFor = names, client
	s.mu.Unlock()
	return names, ""
}

// file is what the upload's mapping says (empty without one).
func (u *upload) file() mapping.File { return u.config.File() }

// choices returns each header's choice as the mapping says it: a field,
// keepChoice, or "" for a column read by its name.
func (u *upload) choices() func(header string) string {
	f := u.file()
	return func(h string) string {
		for field, header := range f.Columns {
			if strings.EqualFold(header, strings.TrimSpace(h)) {
				return field
			}
		}
		for _, ig := range f.Ignore {
			if strings.EqualFold(ig, strings.TrimSpace(h)) {
				return keepChoice
			}
		}
		return ""
	}
}

// mappingFile turns the page's choices into a mapping file over what the
// upload's said (its defaults, separators and other values stay).
func mappingFile(old mapping.File, c mapChoices) (mapping.File, error) {
	f := old
	f.HeaderRow = max(c.HeaderRow, 0)
	f.Columns, f.Ignore = map[string]string{}, nil
	headers := make([]string, 0, len(c.Columns))
	for h := range c.Columns {
		headers = append(headers, h)
	}
	slices.Sort(headers)
	for _, h := range headers {
		switch choice := c.Columns[h]; {
		case choice == "":
		case choice == keepChoice:
			f.Ignore = append(f.Ignore, h)
		case slices.Contains(mapping.FieldNames(), choice):
			if prev, dup := f.Columns[choice]; dup {
				return f, fmt.Errorf("%q and %q are both chosen as %s; choose it for one column only", prev, h, fieldWords(choice))
			}
			f.Columns[choice] = h
		default:
			return f, fmt.Errorf("column %q: %q is not a field (choose one of %s)", h, choice, strings.Join(mapping.FieldNames(), ", "))
		}
	}
	values := map[string]map[string]string{}
	for field, m := range old.Values {
		if field != "outcome" {
			values[field] = m
		}
	}
	// Values the page did not post (beyond those it lists) stay.
	outcome := maps.Clone(old.Values["outcome"])
	if outcome == nil {
		outcome = map[string]string{}
	}
	for cell, to := range c.Values {
		maps.DeleteFunc(outcome, func(k, _ string) bool { return mapping.CellKey(k) == mapping.CellKey(cell) })
		if strings.TrimSpace(to) != "" {
			outcome[cell] = strings.TrimSpace(to)
		}
	}
	if len(outcome) > 0 {
		values["outcome"] = outcome
	}
	f.Values = values
	return f, nil
}

func fieldWords(f string) string { return strings.ReplaceAll(f, "_", " ") }

// handleMapping takes the page's choices, writes them as the upload's
// mapping file (what --mapping reads) and shows the file read with it.
func (s *Server) handleMapping(w http.ResponseWriter, r *http.Request) {
	var c mapChoices
	if !readJSON(w, r, &c, "the choices") {
		return
	}
	s.mu.Lock()
	u, client := s.sess.file, s.sess.client
	busy := s.sess.running() != nil
	s.mu.Unlock()
	switch {
	case busy:
		writeError(w, http.StatusConflict, "a run is in progress; change the columns when it has finished")
		return
	case u == nil:
		writeError(w, http.StatusConflict, "choose a file first")
		return
	}
	f, err := mappingFile(u.file(), c)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	data, err := f.Marshal()
	if err != nil {
		writeError(w, http.StatusBadRequest, "these choices cannot be saved as a mapping file: "+err.Error())
		return
	}
	// The name goes in a comment: no line break of it may end the comment.
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, u.name)
	data = append([]byte("# The columns of "+name+" as matched in leadstatus ui. Choose this file as the\n# mapping file with the next export, or: leadstatus import FILE --mapping THIS-FILE\n"), data...)
	cfg, err := mapping.ParseConfig(data)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	next := *u
	next.config, next.mappingData = cfg, data
	if next.mappingName == "" {
		next.mappingName = strings.TrimSuffix(u.name, filepath.Ext(u.name)) + ".mapping.yaml"
	}
	dir := filepath.Join(filepath.Dir(filepath.Dir(u.path)), "mapping")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		writeError(w, http.StatusInternalServerError, "keep the mapping file: "+err.Error())
		return
	}
	next.mappingPath = filepath.Join(dir, next.mappingName)
	if err := os.WriteFile(next.mappingPath, data, 0o600); err != nil {
		writeError(w, http.StatusInternalServerError, "keep the mapping file: "+err.Error())
		return
	}
	next.view = s.readColumns(r.Context(), &next, client)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess.file != u {
		writeError(w, http.StatusConflict, "another file was chosen meanwhile")
		return
	}
	if s.sess.running() != nil {
		writeError(w, http.StatusConflict, "a run is in progress; change the columns when it has finished")
		return
	}
	s.sess.file, s.sess.jobs = &next, nil
	writeJSON(w, http.StatusOK, next.view)
}

// handleMappingDownload serves the mapping file the page's choices make:
// the same file the check and the send read, and --mapping reads.
func (s *Server) handleMappingDownload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := s.sess.file
	s.mu.Unlock()
	if u == nil {
		writeError(w, http.StatusConflict, "choose a file first")
		return
	}
	data := u.mappingData
	if data == nil && u.mappingPath != "" {
		var err error
		if data, err = os.ReadFile(u.mappingPath); err != nil {
			writeError(w, http.StatusInternalServerError, "read the mapping file: "+err.Error())
			return
		}
	}
	name := u.mappingName
	if name == "" {
		name = strings.TrimSuffix(u.name, filepath.Ext(u.name)) + ".mapping.yaml"
	}
	if len(data) == 0 {
		data = []byte("# Every column is read by its name; nothing to map.\n")
	}
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	_, _ = w.Write(data)
}
