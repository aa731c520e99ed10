package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// checkRequest are the choices that change the plan.
type checkRequest struct {
	// UpdateClosed: also update leads that are already closed (--update-closed).
	UpdateClosed bool `json:"update_closed"`
	// DecimalComma: prices and quantities are written 1.234,50 (--decimal-comma).
	DecimalComma bool `json:"decimal_comma"`
}

// choiceArgs are the import flags for the page's choices.
func (c checkRequest) choiceArgs() []string {
	var a []string
	if c.UpdateClosed {
		a = append(a, "--update-closed")
	}
	if c.DecimalComma {
		a = append(a, "--decimal-comma")
	}
	return a
}

// apply sets the choices on options made by importOptions, as the command
// line does for their flags.
func (c checkRequest) apply(o *importer.Options) {
	o.UpdateClosed = c.UpdateClosed
	if c.DecimalComma {
		cfg := mapping.Config{}
		if o.Config != nil {
			cfg = *o.Config // the upload's own stays as read
		}
		cfg.SetDecimalComma(true)
		o.Config = &cfg
	}
}

// handleCheck runs the read-only check (--dry-run --check) that makes the plan.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	var req checkRequest
	if r.ContentLength != 0 && !readJSON(w, r, &req, "the options") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.usableFile(w)
	if !ok {
		return
	}
	if !u.view.CanCheck {
		writeError(w, http.StatusConflict, u.view.Why)
		return
	}
	path, err := s.reportPath(u.name, "csv")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	args := u.args(append(req.choiceArgs(), "--dry-run")...)
	client := s.sess.client
	if client != nil {
		args = append(args, "--check")
	}
	opts := s.importOptions(u, path, append(args, "--report", path))
	opts.DryRun, opts.Check, opts.Client = true, client != nil, client
	req.apply(&opts)
	j := s.start(kindCheck, u, nil, s.cfg.Run, opts, "")
	j.choices = req
	writeJSON(w, http.StatusAccepted, j.view())
}

type sendRequest struct {
	Limit   int    `json:"limit"`
	Format  string `json:"format"`
	Confirm int    `json:"confirm"`
}

// handleSend sends the updates the check planned, as leadstatus import does.
func (s *Server) handleSend(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	if !readJSON(w, r, &req, "the options") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.usableFile(w)
	if !ok {
		return
	}
	check := s.sess.last(kindCheck)
	if check == nil || check.record == nil || check.record.Error != "" {
		writeError(w, http.StatusConflict, "check the file first: the plan shows what will be sent")
		return
	}
	if check.record.Interrupted {
		writeError(w, http.StatusConflict, "the check was cancelled before the end: check again to see the whole plan")
		return
	}
	if !s.signedIn(w) {
		return
	}
	if req.Limit < 0 {
		writeError(w, http.StatusBadRequest, "the pilot size must be 0 or more")
		return
	}
	n := check.updates
	if req.Limit > 0 && req.Limit < n {
		n = req.Limit
	}
	if !confirmed(w, n, req.Confirm, "sending %d updates") {
		return
	}
	path, err := s.reportPath(u.name, req.Format)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	extra := check.choices.choiceArgs()
	if req.Limit > 0 {
		extra = append(extra, "--limit", strconv.Itoa(req.Limit))
	}
	opts := s.importOptions(u, path, u.args(append(extra, "--report", path)...))
	opts.Client, opts.Limit = s.sess.client, req.Limit
	check.choices.apply(&opts)
	j := s.start(kindSend, u, nil, s.cfg.Run, opts, s.resumeCommand(u, path, opts.Args))
	j.choices, j.limit = check.choices, req.Limit
	writeJSON(w, http.StatusAccepted, j.view())
}

// handleResume sends what the last send left (leadstatus import --resume).
func (s *Server) handleResume(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	if !readJSON(w, r, &req, "the options") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.usableFile(w)
	if !ok {
		return
	}
	from := s.sess.last(kindSend, kindResume)
	if from == nil || !from.resume {
		writeError(w, http.StatusConflict, "nothing to resume: the last run left no failed or unsent rows")
		return
	}
	if !s.signedIn(w) {
		return
	}
	if !confirmed(w, from.left, req.Confirm, "sending up to %d updates that did not succeed") {
		return
	}
	s.resumeFrom(w, u, from.report, from, from.choices, req.Format)
}

// resumeFrom starts a resume of the run whose report is at report (from is
// that run when this page started it); the caller holds s.mu and has
// checked the confirmation.
func (s *Server) resumeFrom(w http.ResponseWriter, u *upload, report string, from *job, choices checkRequest, format string) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(report)), ".")
	}
	path, err := s.reportPath(u.name, format)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	opts := s.importOptions(u, path, u.args(append(choices.choiceArgs(), "--resume", report, "--report", path)...))
	opts.Client, opts.Resume = s.sess.client, report
	choices.apply(&opts)
	j := s.start(kindResume, u, from, s.cfg.Run, opts, s.resumeCommand(u, path, opts.Args))
	j.choices = choices
	writeJSON(w, http.StatusAccepted, j.view())
}

type undoPlanView struct {
	Report  string   `json:"report"`  // the newest run's report
	Reports []string `json:"reports"` // every report of the close, newest first
	Rows    int      `json:"rows"`
	Leads   int      `json:"leads"`
	Sample  []string `json:"sample"`
	// ProductMaps counts the product maps the undo takes off.
	ProductMaps int `json:"product_maps"`
	// Confirm is the number to type above ConfirmOver: the leads to
	// reopen, or the product maps when the close reopens none.
	Confirm int `json:"confirm"`
	// Undone are runs of the close already undone on their own.
	Undone []undoneView `json:"undone"`
}

type undoneView struct {
	Report string `json:"report"` // the run's report
	By     string `json:"by"`     // the undo report that undid it
}

// handleUndoPlan shows what undoing the whole close a run ends would
// reopen: the run and those it resumed (importer.PlanUndo of each).
func (s *Server) handleUndoPlan(w http.ResponseWriter, r *http.Request) {
	j, ok := s.undoable(w, r)
	if !ok {
		return
	}
	plan, err := planClose(j.report)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, plan.view())
}

// handleUndo reopens the leads a close closed (importer.Undo of each of its
// reports), once the page confirms the number of leads.
func (s *Server) handleUndo(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	if !readJSON(w, r, &req, "the confirmation") {
		return
	}
	from, ok := s.undoable(w, r)
	if !ok {
		return
	}
	s.startUndo(w, from.report, from, req.Confirm)
}

// startUndo undoes the close that the report at path ends (from is its run
// when this page started it), if confirmed is its number of leads.
func (s *Server) startUndo(w http.ResponseWriter, path string, from *job, confirm int) {
	plan, err := planClose(path)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	n := plan.confirmCount()
	if n == 0 {
		writeError(w, http.StatusConflict, "nothing to undo: the runs closed no lead that was open before them and added no product")
		return
	}
	if !confirmed(w, n, confirm, plan.confirmWhat()) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		writeError(w, http.StatusServiceUnavailable, "leadstatus ui is stopping")
		return
	}
	if s.sess.running() != nil {
		writeError(w, http.StatusConflict, "a run is in progress; undo when it has finished")
		return
	}
	if !s.signedIn(w) {
		return
	}
	var u *upload
	if from != nil {
		u = from.file
	}
	opts := importer.Options{Input: path, Client: s.sess.client}
	j := s.start(kindUndo, u, from, s.undoClose(plan.Reports, plan.Rows), opts, "")
	writeJSON(w, http.StatusAccepted, j.view())
}

// undoable finds the job named in the path and checks it is a finished send.
func (s *Server) undoable(w http.ResponseWriter, r *http.Request) (*job, bool) {
	j, ok := s.pathJob(w, r)
	if !ok {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if (j.kind != kindSend && j.kind != kindResume) || j.running || j.report == "" || j.record == nil {
		writeError(w, http.StatusConflict, "only a finished send can be undone")
		return nil, false
	}
	return j, true
}

// confirmed reports whether an action on n leads may go: above ConfirmOver
// only with n typed, whatever ran before (a pilot waives nothing); a number
// typed that is not n never. Else it answers what to type; what names the
// action with %d for n.
func confirmed(w http.ResponseWriter, n, typed int, what string) bool {
	if (n > ConfirmOver || typed != 0) && typed != n {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("type %d to confirm "+what, n, n))
		return false
	}
	return true
}

// handleStop stops the run as the first Ctrl-C does: nothing more is sent,
// requests in flight finish, the report is complete.
func (s *Server) handleStop(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.sess.running()
	if j == nil {
		writeError(w, http.StatusConflict, "no run is in progress")
		return
	}
	j.stopping = true
	j.stop()
	writeJSON(w, http.StatusOK, j.view())
}

// usableFile returns the current file if a run may start on it; the caller
// holds s.mu.
func (s *Server) usableFile(w http.ResponseWriter) (*upload, bool) {
	switch u := s.sess.file; {
	case s.stopping:
		writeError(w, http.StatusServiceUnavailable, "leadstatus ui is stopping")
	case s.sess.running() != nil:
		writeError(w, http.StatusConflict, "a run is in progress")
	case u == nil:
		writeError(w, http.StatusConflict, "choose a file first")
	case u.view.Error != "":
		writeError(w, http.StatusConflict, u.view.Error)
	default:
		return u, true
	}
	return nil, false
}

// signedIn reports whether the page has credentials, and answers that they
// are needed if not; the caller holds s.mu.
func (s *Server) signedIn(w http.ResponseWriter) bool {
	if s.sess.client == nil {
		writeError(w, http.StatusConflict, "enter your Nutshell e-mail and API key first")
		return false
	}
	return true
}

// importOptions are the options leadstatus import builds from the same choices.
func (s *Server) importOptions(u *upload, reportPath string, args []string) importer.Options {
	return importer.Options{
		Input:      u.path,
		InputName:  u.name,
		Source:     source.Options{Sheet: u.sheet, Password: s.cfg.XLSXPassword},
		Config:     u.config,
		ReportPath: reportPath,
		Args:       args,
	}
}

func (s *Server) resumeCommand(u *upload, reportPath string, args []string) string {
	if s.cfg.ResumeCommand == nil {
		return ""
	}
	return s.cfg.ResumeCommand(u.name, reportPath, args[1:])
}

type runFunc func(context.Context, importer.Options) (*importer.Summary, error)

// start runs one pipeline in the background with the page's progress and
// Stop button; the caller holds s.mu.
func (s *Server) start(kind string, u *upload, from *job, run runFunc, opts importer.Options, resume string) *job {
	stop, cancel := context.WithCancel(context.Background())
	s.sess.nextID++
	j := &job{id: s.sess.nextID, kind: kind, file: u, from: from, progress: newProgress(s.cfg.Now), stop: cancel, running: true, report: opts.ReportPath}
	s.sess.jobs = append(s.sess.jobs, j)
	opts.Stop, opts.Progress, opts.Log, opts.Now = stop, j.progress, s.cfg.Log, s.cfg.Now
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		sum, err := run(s.ctx, opts)
		s.mu.Lock()
		defer s.mu.Unlock()
		j.finish(sum, resume, err)
	}()
	return j
}

// reportPath names a report as the CLI does (INPUT.report-YYYYMMDD-HHMMSS.csv)
// in the report folder; if a run in the same second took that name, the
// next second's.
func (s *Server) reportPath(name, format string) (string, error) {
	ext := ".csv"
	switch strings.ToLower(format) {
	case "", "csv":
	case "xlsx":
		ext = ".xlsx"
	default:
		return "", fmt.Errorf("report format %q: choose csv or xlsx", format)
	}
	if st, err := os.Stat(s.cfg.Dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("the report folder %s does not exist: create it, or start leadstatus ui again with --dir naming a folder that exists", s.cfg.Dir)
	}
	now := s.cfg.Now()
	for range 60 {
		p := filepath.Join(s.cfg.Dir, filepath.Base(report.DefaultPath(name, now)))
		p = strings.TrimSuffix(p, ".csv") + ext
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		now = now.Add(time.Second)
	}
	return "", fmt.Errorf("no free report name in %s", s.cfg.Dir)
}

// undo runs an undo with the options of an import that apply to it.
func (s *Server) undo(ctx context.Context, o importer.Options) (*importer.Summary, error) {
	return s.cfg.Undo(ctx, importer.UndoOptions{Input: o.Input, ReportPath: o.ReportPath, Force: o.Force, DryRun: o.DryRun,
		Workers: o.Workers, Rate: o.Rate, Retries: o.Retries, Client: o.Client, Log: o.Log, Progress: o.Progress, Stop: o.Stop, Now: o.Now})
}
