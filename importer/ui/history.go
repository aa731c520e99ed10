package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
)

// A close is a chain of runs on one file: a send (often a pilot), then the
// resumes that sent what it left. Each resume's fingerprint beside its
// report names the report it resumed (--resume), so the chain is found from
// the report folder alone, after a restart as well as in the window that
// started it.

// resumedFrom is the report a run resumed, from its fingerprint's command
// line; "" when it resumed none. A relative path is looked for as given,
// then beside the report.
func resumedFrom(reportPath string) string {
	meta, err := report.ReadMeta(reportPath)
	if err != nil {
		return ""
	}
	for i, a := range meta.Args {
		var from string
		switch {
		case a == "--resume" && i+1 < len(meta.Args):
			from = meta.Args[i+1]
		case strings.HasPrefix(a, "--resume="):
			from = strings.TrimPrefix(a, "--resume=")
		default:
			continue
		}
		if _, err := os.Stat(from); err == nil {
			return from
		}
		return filepath.Join(filepath.Dir(reportPath), filepath.Base(from))
	}
	return ""
}

// chainOf lists the reports of the close that reportPath ends, newest
// first: the run itself, the run it resumed, and so on.
func chainOf(reportPath string) []string {
	chain := []string{reportPath}
	for from := resumedFrom(reportPath); from != "" && len(chain) < 1000; from = resumedFrom(from) {
		if slices.Contains(chain, from) {
			break
		}
		if _, err := os.Stat(from); err != nil {
			break
		}
		chain = append(chain, from)
	}
	return chain
}

// closePlan is one undo of a whole close.
type closePlan struct {
	Reports []string // newest first
	Rows    int
	Leads   []string // distinct leads the close closed (or may have), to be reopened
	// ProductMaps are the product maps the close added, to be taken off.
	ProductMaps []string
	// Undone are the reports of the close already undone on their own,
	// each with its undo report: undone again, their leads are read first
	// and those already open are left alone.
	Undone [][2]string
}

// confirmCount is the number the page asks to be typed: the leads to
// reopen, or the product maps to take off when no lead is reopened.
func (p *closePlan) confirmCount() int {
	if len(p.Leads) > 0 {
		return len(p.Leads)
	}
	return len(p.ProductMaps)
}

// confirmWhat names the action confirmed, with %d for its count.
func (p *closePlan) confirmWhat() string {
	if len(p.Leads) > 0 {
		return "reopening %d leads"
	}
	return "taking off %d product maps"
}

func planClose(reportPath string) (*closePlan, error) {
	p := &closePlan{Reports: chainOf(reportPath)}
	seen := map[string]bool{}
	for _, r := range p.Reports {
		plan, err := importer.PlanUndo(r, source.Options{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(r), err)
		}
		p.Rows += plan.Rows
		for _, l := range slices.Concat(plan.Leads, plan.Uncertain) {
			if !seen[l] {
				seen[l] = true
				p.Leads = append(p.Leads, l)
			}
		}
		p.ProductMaps = append(p.ProductMaps, plan.ProductMaps...)
		if undo := undoneBy(r); undo != "" {
			p.Undone = append(p.Undone, [2]string{filepath.Base(r), undo})
		}
	}
	return p, nil
}

// undoneBy names the newest undo report beside reportPath that undid it
// (INPUT.report-….undo.report-…), "" when none.
func undoneBy(reportPath string) string {
	entries, err := os.ReadDir(filepath.Dir(reportPath))
	if err != nil {
		return ""
	}
	prefix := strings.TrimSuffix(filepath.Base(reportPath), filepath.Ext(reportPath)) + ".undo.report-"
	newest := ""
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, prefix) && isReport(name) && name > newest {
			newest = name
		}
	}
	return newest
}

func (p *closePlan) view() undoPlanView {
	sample := p.Leads
	if len(sample) > 10 {
		sample = sample[:10]
	}
	v := undoPlanView{Rows: p.Rows, Leads: len(p.Leads), Sample: append([]string{}, sample...),
		ProductMaps: len(p.ProductMaps), Confirm: p.confirmCount(), Undone: []undoneView{}}
	for _, u := range p.Undone {
		v.Undone = append(v.Undone, undoneView{Report: u[0], By: u[1]})
	}
	for _, r := range p.Reports {
		v.Reports = append(v.Reports, filepath.Base(r))
	}
	v.Report = v.Reports[0]
	return v
}

// undoClose undoes every report of a close in one run, newest first, with
// one progress for all; the summary adds theirs up.
func (s *Server) undoClose(reports []string, rows int) runFunc {
	return func(ctx context.Context, o importer.Options) (*importer.Summary, error) {
		total := o.Progress
		total.Start(rows)
		defer total.Finish()
		o.Progress = quietStart{total}
		var sum *importer.Summary
		var undoReports []string
		defer func() {
			if sum != nil && len(undoReports) > 1 {
				combineRows(sum, undoReports)
			}
		}()
		for _, r := range reports {
			o.Input = r
			one, err := s.undo(ctx, o)
			sum = addSummary(sum, one)
			if one != nil && one.ReportPath != "" {
				undoReports = append(undoReports, one.ReportPath)
			}
			if err != nil || one == nil || one.Interrupted {
				return sum, err
			}
		}
		return sum, nil
	}
}

// undoPrecedence orders what happened to one input row across the undo
// reports of a close: what needs attention first, then what was done.
var undoPrecedence = []report.Result{report.Failed, report.NotSent, report.Invalid, report.Succeeded, report.DryRun, report.Skipped}

// combineRows counts each input row of a close once: every report of a
// close holds every row of the file (a pilot's rest as not sent, a resume's
// pilot rows as done), so adding the reports' rows up would count each lead
// once per run. A row's result is its most telling one across the undo
// reports: reopened by one undo and left alone by the other is reopened.
func combineRows(sum *importer.Summary, undoReports []string) {
	byRow := map[string]report.Result{}
	for _, path := range undoReports {
		src, err := source.Open(path, source.Options{})
		if err != nil {
			return // the sums stand; the reports are there to read
		}
		header := src.Header()
		rowCol, resCol := slices.Index(header, "import_row"), slices.Index(header, "import_result")
		for n := 0; resCol >= 0; n++ {
			row, err := src.Next()
			if err != nil {
				break
			}
			key := fmt.Sprint("#", n)
			if rowCol >= 0 && rowCol < len(row.Cells) && row.Cells[rowCol] != "" {
				key = row.Cells[rowCol]
			}
			if resCol >= len(row.Cells) {
				continue
			}
			got := report.Result(row.Cells[resCol])
			if prev, ok := byRow[key]; !ok || rank(got) < rank(prev) {
				byRow[key] = got
			}
		}
		src.Close()
	}
	if len(byRow) == 0 {
		return
	}
	sum.Rows = len(byRow)
	sum.Counts = map[report.Result]int{}
	for _, r := range byRow {
		sum.Counts[r]++
	}
}

func rank(r report.Result) int {
	if i := slices.Index(undoPrecedence, r); i >= 0 {
		return i
	}
	return len(undoPrecedence)
}

// quietStart passes rows on but leaves Start and Finish to the whole.
type quietStart struct{ importer.Progress }

func (quietStart) Start(int) {}
func (quietStart) Finish()   {}

// addSummary adds b to a; the report is the first one's (the newest run's
// undo), the others are named in its warnings.
func addSummary(a, b *importer.Summary) *importer.Summary {
	if b == nil {
		return a
	}
	if a == nil {
		c := *b
		c.Plan = slices.Clone(b.Plan)
		c.Counts = map[report.Result]int{}
		for k, v := range b.Counts {
			c.Counts[k] = v
		}
		return &c
	}
	a.Rows += b.Rows
	for k, v := range b.Counts {
		a.Counts[k] += v
	}
	a.Requests += b.Requests
	a.Updates += b.Updates
	a.SlowDowns += b.SlowDowns
	a.Elapsed += b.Elapsed
	a.FinalRate = b.FinalRate
	a.Interrupted = a.Interrupted || b.Interrupted
	if a.Stopped == "" {
		a.Stopped = b.Stopped
	}
	a.Warnings = append(a.Warnings, b.Warnings...)
	a.Warnings = append(a.Warnings, "also undone: "+filepath.Base(b.Input)+", its undo report "+filepath.Base(b.ReportPath))
	a.Reasons = append(a.Reasons, b.Reasons...)
	a.NeedsAttention += b.NeedsAttention
	// What was done to the leads, over every run of the close: each lead
	// is reopened by one undo only.
	for _, line := range b.Plan {
		i := slices.IndexFunc(a.Plan, func(l importer.PlanLine) bool {
			return l.Result == line.Result && l.Before == line.Before && l.Target == line.Target
		})
		if i < 0 {
			a.Plan = append(a.Plan, line)
		} else {
			a.Plan[i].Leads += line.Leads
		}
	}
	return a
}

// historyRun is one run found in the report folder.
type historyRun struct {
	Report    string                `json:"report"` // the report's file name
	Input     string                `json:"input"`
	Started   time.Time             `json:"started"`
	Kind      string                `json:"kind"` // check, send, pilot, resume, undo
	Rows      int                   `json:"rows"`
	Counts    map[report.Result]int `json:"counts"`
	Resumes   string                `json:"resumes,omitempty"` // the report it resumed
	Undoes    string                `json:"undoes,omitempty"`  // for an undo: the report it undid
	Undone    []string              `json:"undone"`            // undo reports of this run
	Chain     int                   `json:"chain"`             // runs in its close
	CanUndo   bool                  `json:"can_undo"`
	CanResume bool                  `json:"can_resume"`
	// SameFile: the file chosen now is the one this run read (so it can be resumed).
	SameFile bool   `json:"same_file"`
	Error    string `json:"error,omitempty"`
}

// history lists the runs whose reports are in the report folder, newest
// first. The file chosen now (sha, "" if none) tells which can be resumed.
func (s *Server) history(sha string) ([]historyRun, error) {
	entries, err := os.ReadDir(s.cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("read the report folder %s: %w", s.cfg.Dir, err)
	}
	runs := []historyRun{}
	undos := map[string][]string{} // report stem -> its undo reports
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !isReport(name) {
			continue
		}
		if i := strings.Index(name, ".undo.report-"); i > 0 {
			undos[name[:i]] = append(undos[name[:i]], name)
		}
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !isReport(name) {
			continue
		}
		path := filepath.Join(s.cfg.Dir, name)
		run := historyRun{Report: name, Counts: map[report.Result]int{}, Undone: []string{}}
		if info, err := e.Info(); err == nil {
			run.Started = info.ModTime()
		}
		meta, merr := report.ReadMeta(path)
		switch {
		case strings.Contains(name, ".undo.report-"):
			run.Kind = "undo"
			run.Undoes = name[:strings.Index(name, ".undo.report-")] + filepath.Ext(name)
			run.Input = run.Undoes
			if m, err := report.ReadMeta(filepath.Join(s.cfg.Dir, run.Undoes)); err == nil {
				run.Input = filepath.Base(m.Input)
				if len(m.Args) > 1 && m.Args[0] == "import" {
					run.Input = filepath.Base(m.Args[1])
				}
			}
		case merr != nil:
			continue // not a report this tool wrote beside a fingerprint
		default:
			run.Started = meta.Started
			run.Input = filepath.Base(meta.Input)
			if len(meta.Args) > 1 && meta.Args[0] == "import" {
				run.Input = filepath.Base(meta.Args[1])
			}
			run.Kind = "send"
			switch {
			case slices.Contains(meta.Args, "--dry-run"):
				run.Kind = "check"
			case resumedFrom(path) != "":
				run.Kind = "resume"
				run.Resumes = filepath.Base(resumedFrom(path))
			case slices.ContainsFunc(meta.Args, func(a string) bool { return a == "--limit" || strings.HasPrefix(a, "--limit=") }):
				run.Kind = "pilot"
			}
			run.SameFile = sha != "" && meta.InputSHA256 == sha
		}
		run.Rows, run.Error = countResults(path, run.Counts)
		run.Undone = append(run.Undone, undos[strings.TrimSuffix(name, filepath.Ext(name))]...)
		if run.Kind != "check" && run.Kind != "undo" {
			run.Chain = len(chainOf(path))
			run.CanUndo = run.Error == "" && run.Counts[report.Succeeded] > 0
			run.CanResume = run.Error == "" && run.Counts[report.Failed]+run.Counts[report.NotSent] > 0
		}
		runs = append(runs, run)
	}
	// A run whose leftovers a later run sent, or that was undone, has
	// nothing left to resume.
	resumed := map[string]bool{}
	for _, r := range runs {
		resumed[r.Resumes] = true
	}
	for i, r := range runs {
		if resumed[r.Report] || len(r.Undone) > 0 {
			runs[i].CanResume = false
		}
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Started.After(runs[j].Started) })
	return runs, nil
}

// isReport says whether a file name is one of the tool's reports.
func isReport(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return strings.Contains(name, ".report-") && (ext == ".csv" || ext == ".xlsx")
}

// countResults counts a report's rows by import_result.
func countResults(path string, counts map[report.Result]int) (int, string) {
	src, err := source.Open(path, source.Options{})
	if err != nil {
		return 0, "cannot read this report: " + err.Error()
	}
	defer src.Close()
	col := slices.Index(src.Header(), "import_result")
	if col < 0 {
		return 0, "this file has no import_result column"
	}
	rows := 0
	for {
		row, err := src.Next()
		if errors.Is(err, io.EOF) {
			return rows, ""
		}
		if err != nil {
			return rows, "cannot read this report: " + err.Error()
		}
		rows++
		if col < len(row.Cells) {
			counts[report.Result(row.Cells[col])]++
		}
	}
}

// fileSHA256 is the hex SHA-256 of a file, as a fingerprint records it.
func fileSHA256(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	sha := ""
	if u := s.sess.file; u != nil {
		sha = u.sha
	}
	s.mu.Unlock()
	runs, err := s.history(sha)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error()+"; check the folder exists, or start leadstatus ui again with --dir naming one that does")
		return
	}
	writeJSON(w, http.StatusOK, runs)
}

// historyReport is the path of a report in the report folder named by the
// query's "name", or answers why not.
func (s *Server) historyReport(w http.ResponseWriter, r *http.Request) (string, bool) {
	name := r.URL.Query().Get("name")
	if name == "" || filepath.Base(name) != name || !isReport(name) {
		writeError(w, http.StatusBadRequest, "name a report in the report folder")
		return "", false
	}
	path := filepath.Join(s.cfg.Dir, name)
	if _, err := os.Stat(path); err != nil {
		writeError(w, http.StatusNotFound, name+" is no longer in the report folder; refresh the history")
		return "", false
	}
	return path, true
}

func (s *Server) handleHistoryReport(w http.ResponseWriter, r *http.Request) {
	path, ok := s.historyReport(w, r)
	if !ok {
		return
	}
	serveDownload(w, r, path, filepath.Base(path))
}

// serveDownload sends a file as an attachment named name.
func serveDownload(w http.ResponseWriter, r *http.Request, path, name string) {
	f, err := os.Open(path)
	if err != nil {
		writeError(w, http.StatusNotFound, "open "+name+": "+err.Error())
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// handleHistoryUndoPlan shows what undoing the close a report ends would reopen.
func (s *Server) handleHistoryUndoPlan(w http.ResponseWriter, r *http.Request) {
	path, ok := s.historyReport(w, r)
	if !ok {
		return
	}
	plan, err := planClose(path)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, plan.view())
}

// handleHistoryUndo undoes the close a report ends, once confirmed.
func (s *Server) handleHistoryUndo(w http.ResponseWriter, r *http.Request) {
	path, ok := s.historyReport(w, r)
	if !ok {
		return
	}
	var req sendRequest
	if !readJSON(w, r, &req, "the confirmation") {
		return
	}
	s.startUndo(w, path, nil, req.Confirm)
}

// handleHistoryResume sends what a run in the history left, on the file
// chosen now, which must be the one it read.
func (s *Server) handleHistoryResume(w http.ResponseWriter, r *http.Request) {
	path, ok := s.historyReport(w, r)
	if !ok {
		return
	}
	var req sendRequest
	if !readJSON(w, r, &req, "the options") {
		return
	}
	meta, err := report.ReadMeta(path)
	if err != nil {
		writeError(w, http.StatusBadRequest, "this report has no fingerprint beside it, so it cannot be resumed here")
		return
	}
	counts := map[report.Result]int{}
	if _, msg := countResults(path, counts); msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	left := counts[report.Failed] + counts[report.NotSent]
	// Only the newest run of a close may be resumed: an older one's
	// leftovers were sent by the run that resumed it.
	runs, err := s.history("")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	for _, r := range runs {
		if r.Resumes == filepath.Base(path) {
			writeError(w, http.StatusConflict, fmt.Sprintf("%s sent what this run left already: send what did not succeed from that run instead", r.Report))
			return
		}
		if r.Kind == "undo" && r.Undoes == filepath.Base(path) {
			writeError(w, http.StatusConflict, "this run was undone; check the file again to start a new close")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.usableFile(w)
	if !ok {
		return
	}
	if u.sha != meta.InputSHA256 {
		writeError(w, http.StatusConflict, "choose the file this run read first (choose another file): resuming sends what it left of the same file")
		return
	}
	if left == 0 {
		writeError(w, http.StatusConflict, "nothing to resume: this run left no rows that did not succeed")
		return
	}
	if !s.signedIn(w) || !confirmed(w, left, req.Confirm, "sending up to %d updates that did not succeed") {
		return
	}
	choices := checkRequest{UpdateClosed: slices.Contains(meta.Args, "--update-closed"), DecimalComma: slices.Contains(meta.Args, "--decimal-comma")}
	s.resumeFrom(w, u, path, nil, choices, req.Format)
}
