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
)

// handleCheck runs the read-only check (--dry-run --check) that makes the plan.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.usableFile(w)
	if !ok {
		return
	}
	path, err := s.reportPath(u.name, "csv")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	args := u.args("--dry-run")
	client := s.sess.client
	if client != nil {
		args = append(args, "--check")
	}
	opts := s.importOptions(u, path, append(args, "--report", path))
	opts.DryRun, opts.Check, opts.Client = true, client != nil, client
	j := s.start(kindCheck, u, nil, importer.Run, opts, "")
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
	if n > ConfirmOver && req.Confirm != n {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("type %d to confirm sending %d updates", n, n))
		return
	}
	path, err := s.reportPath(u.name, req.Format)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var extra []string
	if req.Limit > 0 {
		extra = append(extra, "--limit", strconv.Itoa(req.Limit))
	}
	opts := s.importOptions(u, path, u.args(append(extra, "--report", path)...))
	opts.Client, opts.Limit = s.sess.client, req.Limit
	j := s.start(kindSend, u, nil, importer.Run, opts, s.resumeCommand(u, path, opts.Args))
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
	if req.Format == "" {
		req.Format = strings.TrimPrefix(strings.ToLower(filepath.Ext(from.report)), ".")
	}
	path, err := s.reportPath(u.name, req.Format)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	opts := s.importOptions(u, path, u.args("--resume", from.report, "--report", path))
	opts.Client, opts.Resume = s.sess.client, from.report
	j := s.start(kindResume, u, from, importer.Run, opts, s.resumeCommand(u, path, opts.Args))
	writeJSON(w, http.StatusAccepted, j.view())
}

type undoPlanView struct {
	Report string   `json:"report"`
	Rows   int      `json:"rows"`
	Leads  int      `json:"leads"`
	Sample []string `json:"sample"`
	// ProductMaps counts the product maps the undo takes off.
	ProductMaps int `json:"product_maps"`
}

// handleUndoPlan shows what undoing a run would reopen (importer.PlanUndo).
func (s *Server) handleUndoPlan(w http.ResponseWriter, r *http.Request) {
	j, ok := s.undoable(w, r)
	if !ok {
		return
	}
	plan, err := importer.PlanUndo(j.report, source.Options{})
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	leads := append(append([]string{}, plan.Leads...), plan.Uncertain...)
	sample := leads
	if len(sample) > 10 {
		sample = sample[:10]
	}
	writeJSON(w, http.StatusOK, undoPlanView{Report: filepath.Base(j.report), Rows: plan.Rows, Leads: len(leads), Sample: append([]string{}, sample...), ProductMaps: len(plan.ProductMaps)})
}

// handleUndo reopens the leads a run closed (importer.Undo), once the page
// confirms the number of leads.
func (s *Server) handleUndo(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	if !readJSON(w, r, &req, "the confirmation") {
		return
	}
	from, ok := s.undoable(w, r)
	if !ok {
		return
	}
	plan, err := importer.PlanUndo(from.report, source.Options{})
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	leads := len(plan.Leads) + len(plan.Uncertain)
	if leads == 0 {
		writeError(w, http.StatusConflict, "nothing to undo: the run closed no lead that was open before it")
		return
	}
	if req.Confirm != leads {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("confirm reopening %d leads", leads))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess.running() != nil {
		writeError(w, http.StatusConflict, "a run is in progress")
		return
	}
	if !s.signedIn(w) {
		return
	}
	opts := importer.Options{Input: from.report, Client: s.sess.client}
	j := s.start(kindUndo, from.file, from, undo, opts, "")
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
	if (j.kind != kindSend && j.kind != kindResume) || j.running || j.report == "" {
		writeError(w, http.StatusConflict, "only a finished send can be undone")
		return nil, false
	}
	return j, true
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

// undo runs importer.Undo with the options of an import that apply to it.
func undo(ctx context.Context, o importer.Options) (*importer.Summary, error) {
	return importer.Undo(ctx, importer.UndoOptions{Input: o.Input, ReportPath: o.ReportPath, Force: o.Force, DryRun: o.DryRun,
		Workers: o.Workers, Rate: o.Rate, Retries: o.Retries, Client: o.Client, Log: o.Log, Progress: o.Progress, Stop: o.Stop, Now: o.Now})
}
