package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// stateView is everything the page draws from.
type stateView struct {
	Mock        bool      `json:"mock"`
	SignedIn    bool      `json:"signed_in"`
	User        string    `json:"user,omitempty"`
	Dir         string    `json:"dir"`
	MaxUpload   int64     `json:"max_upload"`
	ConfirmOver int       `json:"confirm_over"`
	File        *fileView `json:"file"`
	Jobs        []jobView `json:"jobs"`
}

// fileView is the input as the tool read it.
type fileView struct {
	Name     string       `json:"name"`
	Sheet    string       `json:"sheet,omitempty"`
	Mapping  string       `json:"mapping,omitempty"`
	Columns  []columnView `json:"columns"`
	Warnings []string     `json:"warnings"`
	Error    string       `json:"error,omitempty"`
}

type columnView struct {
	Letter  string `json:"letter"`
	Header  string `json:"header"`
	Field   string `json:"field"`   // the field it feeds; "" when only carried
	Carried bool   `json:"carried"` // copied into the report
}

type jobView struct {
	ID         int                     `json:"id"`
	Kind       string                  `json:"kind"`
	From       int                     `json:"from,omitempty"`
	Running    bool                    `json:"running"`
	Stopping   bool                    `json:"stopping"`
	Progress   progressView            `json:"progress"`
	Report     string                  `json:"report,omitempty"`
	ReportName string                  `json:"report_name,omitempty"`
	Summary    *importer.SummaryRecord `json:"summary,omitempty"`
	Error      string                  `json:"error,omitempty"`
	CanResume  bool                    `json:"can_resume"`
	Updates    int                     `json:"updates"`
}

func (j *job) view() jobView {
	v := jobView{ID: j.id, Kind: j.kind, Running: j.running, Stopping: j.stopping, Progress: j.progress.view(),
		Report: j.report, Summary: j.record, Error: j.err, CanResume: j.resume, Updates: j.updates}
	if j.report != "" {
		v.ReportName = filepath.Base(j.report)
	}
	if j.from != nil {
		v.From = j.from.id
	}
	return v
}

func (s *Server) state() stateView {
	s.mu.Lock()
	defer s.mu.Unlock()
	dir, err := filepath.Abs(s.cfg.Dir)
	if err != nil {
		dir = s.cfg.Dir
	}
	v := stateView{Mock: s.cfg.Mock, SignedIn: s.sess.client != nil, User: s.sess.user, Dir: dir,
		MaxUpload: s.cfg.MaxUpload, ConfirmOver: ConfirmOver, Jobs: []jobView{}}
	if f := s.sess.file; f != nil {
		fv := f.view
		v.File = &fv
	}
	for _, j := range s.sess.jobs {
		v.Jobs = append(v.Jobs, j.view())
	}
	return v
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.state())
}

// handleEvents streams the state to the page whenever it changes
// (Server-Sent Events).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	var last []byte
	for {
		b, _ := json.Marshal(s.state())
		if string(b) != string(last) {
			if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
				return
			}
			flusher.Flush()
			last = b
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

type credentials struct {
	Username string `json:"username"`
	APIKey   string `json:"api_key"`
}

// handleCredentials keeps an e-mail and API key typed into the page in
// memory for this session, after checking them with Nutshell. The key is
// never sent back, written or logged.
func (s *Server) handleCredentials(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&c); err != nil {
		writeError(w, http.StatusBadRequest, "send the e-mail and API key as JSON")
		return
	}
	user, key := strings.TrimSpace(c.Username), nutshell.Secret(strings.TrimSpace(c.APIKey))
	if user == "" || key == "" {
		writeError(w, http.StatusBadRequest, "enter your Nutshell e-mail and an API key")
		return
	}
	if s.cfg.NewClient == nil {
		writeError(w, http.StatusBadRequest, "this page cannot take credentials")
		return
	}
	client, err := s.cfg.NewClient(user, key)
	if err == nil {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		err = client.CheckAuth(ctx)
		cancel()
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess.running() != nil {
		writeError(w, http.StatusConflict, "a run is in progress; sign in again when it has finished")
		return
	}
	s.sess.client, s.sess.user = client, user
	writeJSON(w, http.StatusOK, map[string]string{"user": user})
}

// handleFile takes the input file (and optional sheet and mapping file),
// copies it to the private folder and shows its columns as the tool reads them.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	busy := s.sess.running() != nil
	s.sess.nextID++
	n := s.sess.nextID
	s.mu.Unlock()
	if busy {
		writeError(w, http.StatusConflict, "a run is in progress; choose another file when it has finished")
		return
	}
	dir := filepath.Join(s.uploads, strconv.Itoa(n))
	if err := os.Mkdir(dir, 0o700); err != nil {
		writeError(w, http.StatusInternalServerError, "keep the upload: "+err.Error())
		return
	}
	u, status, err := s.receive(w, r, dir)
	if err != nil {
		os.RemoveAll(dir)
		writeError(w, status, err.Error())
		return
	}
	u.n = n
	u.view = s.readColumns(u)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess.running() != nil {
		os.RemoveAll(dir)
		writeError(w, http.StatusConflict, "a run is in progress; choose another file when it has finished")
		return
	}
	if old := s.sess.file; old != nil {
		os.RemoveAll(filepath.Dir(old.path))
	}
	s.sess.file, s.sess.jobs = u, nil
	writeJSON(w, http.StatusOK, u.view)
}

// receive streams the multipart form into dir, part by part, so no copy is
// left anywhere else (ParseMultipartForm would spill into the system's temp).
func (s *Server) receive(w http.ResponseWriter, r *http.Request, dir string) (*upload, int, error) {
	limit := s.cfg.MaxUpload
	r.Body = http.MaxBytesReader(w, r.Body, 2*limit+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, http.StatusBadRequest, errors.New("send the file as a multipart form")
	}
	u := &upload{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, uploadStatus(err), uploadError(err, limit)
		}
		switch part.FormName() {
		case "file", "mapping":
			name := cleanName(part.FileName())
			if name == "" {
				if part.FormName() == "file" {
					return nil, http.StatusBadRequest, errors.New("choose a CSV, TSV or XLSX file")
				}
				continue // no mapping file chosen
			}
			sub := "input"
			if part.FormName() == "mapping" {
				sub = "mapping"
			}
			if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
				return nil, http.StatusInternalServerError, err
			}
			path := filepath.Join(dir, sub, name)
			if err := saveLimited(path, part, limit); err != nil {
				return nil, uploadStatus(err), uploadError(fmt.Errorf("%s: %w", name, err), limit)
			}
			if part.FormName() == "file" {
				u.name, u.path = name, path
			} else {
				u.mappingName, u.mappingPath = name, path
			}
		case "sheet":
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return nil, uploadStatus(err), uploadError(err, limit)
			}
			u.sheet = strings.TrimSpace(string(b))
		}
	}
	if u.path == "" {
		return nil, http.StatusBadRequest, errors.New("choose a CSV, TSV or XLSX file")
	}
	if u.mappingPath != "" {
		data, err := os.ReadFile(u.mappingPath)
		if err != nil {
			return nil, http.StatusInternalServerError, err
		}
		cfg, err := mapping.ParseConfig(data)
		if err != nil {
			return nil, http.StatusBadRequest, fmt.Errorf("mapping file %s: %s", u.mappingName, err)
		}
		u.config = cfg
	}
	return u, 0, nil
}

var errTooLarge = errors.New("too large")

func saveLimited(path string, r io.Reader, limit int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = errTooLarge
	}
	return err
}

func uploadStatus(err error) int {
	var mb *http.MaxBytesError
	if errors.Is(err, errTooLarge) || errors.As(err, &mb) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

func uploadError(err error, limit int64) error {
	var mb *http.MaxBytesError
	if errors.Is(err, errTooLarge) || errors.As(err, &mb) {
		return fmt.Errorf("the file is larger than the page accepts (%d MiB); import it from the terminal with leadstatus import", limit>>20)
	}
	return fmt.Errorf("read the upload: %w", err)
}

// cleanName keeps the base name of an uploaded file, never a path.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == ".." || strings.ContainsAny(name, "\x00") {
		return ""
	}
	return name
}

// readColumns opens the copy as an import would and recognises its header
// with the same code, so the page shows the CLI's messages.
func (s *Server) readColumns(u *upload) fileView {
	v := fileView{Name: u.name, Sheet: u.sheet, Mapping: u.mappingName, Columns: []columnView{}, Warnings: []string{}}
	src, err := source.Open(u.path, source.Options{Sheet: u.sheet, Password: s.cfg.XLSXPassword})
	if err != nil {
		v.Error = u.hide(err.Error())
		return v
	}
	header := src.Header()
	for _, w := range src.Warnings() {
		v.Warnings = append(v.Warnings, u.hide(w))
	}
	src.Close()
	spec, err := mapping.NewSpec(header, u.config)
	for i, h := range header {
		v.Columns = append(v.Columns, columnView{Letter: source.ColumnName(i + 1), Header: h})
	}
	if err != nil {
		// As prepare words it: the input's name, then the header problem.
		v.Error = u.name + ": " + u.hide(err.Error())
		return v
	}
	carried := spec.Columns()
	for i := range v.Columns {
		v.Columns[i].Field = spec.FieldOf(i)
		// Carried columns are the header minus import_* columns, in order.
		if len(carried) > 0 && carried[0] == header[i] {
			v.Columns[i].Carried = true
			carried = carried[1:]
		}
	}
	return v
}

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
	opts.DryRun, opts.Check, opts.Client, opts.CountRows = true, client != nil, client, true
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
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "send the options as JSON")
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
	if s.sess.client == nil {
		writeError(w, http.StatusConflict, "enter your Nutshell e-mail and API key first")
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
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "send the options as JSON")
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
	if s.sess.client == nil {
		writeError(w, http.StatusConflict, "enter your Nutshell e-mail and API key first")
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
	sample := plan.Leads
	if len(sample) > 10 {
		sample = sample[:10]
	}
	writeJSON(w, http.StatusOK, undoPlanView{Report: filepath.Base(j.report), Rows: plan.Rows, Leads: len(plan.Leads), Sample: append([]string{}, sample...)})
}

// handleUndo reopens the leads a run closed (importer.Undo), once the page
// confirms the number of leads.
func (s *Server) handleUndo(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "send the confirmation as JSON")
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
	if len(plan.Leads) == 0 {
		writeError(w, http.StatusConflict, "nothing to undo: the run closed no lead that was open before it")
		return
	}
	if req.Confirm != len(plan.Leads) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("confirm reopening %d leads", len(plan.Leads)))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess.running() != nil {
		writeError(w, http.StatusConflict, "a run is in progress")
		return
	}
	if s.sess.client == nil {
		writeError(w, http.StatusConflict, "enter your Nutshell e-mail and API key first")
		return
	}
	opts := importer.Options{Input: from.report, Client: s.sess.client}
	j := s.start(kindUndo, from.file, from, importer.Undo, opts, "")
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

func (s *Server) handleJob(w http.ResponseWriter, r *http.Request) {
	j, ok := s.pathJob(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, j.view())
}

// handleReport downloads a run's report as written.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	j, ok := s.pathJob(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	path, running := j.report, j.running
	s.mu.Unlock()
	if running || path == "" {
		writeError(w, http.StatusConflict, "the report is ready when the run has finished")
		return
	}
	f, err := os.Open(path)
	if err != nil {
		writeError(w, http.StatusNotFound, "open the report: "+err.Error())
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	name := filepath.Base(path)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// rowsView is a page of a report's rows, filtered by result.
type rowsView struct {
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
	Matched int        `json:"matched"`
}

// maxRowsShown bounds the rows table; the report has them all.
const maxRowsShown = 500

// handleRows reads a run's report back for the rows table.
func (s *Server) handleRows(w http.ResponseWriter, r *http.Request) {
	j, ok := s.pathJob(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	path, running := j.report, j.running
	s.mu.Unlock()
	if running || path == "" {
		writeError(w, http.StatusConflict, "the rows are ready when the run has finished")
		return
	}
	want := report.Result(r.URL.Query().Get("result"))
	src, err := source.Open(path, source.Options{})
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	defer src.Close()
	header := src.Header()
	resultCol := -1
	for i, h := range header {
		if h == "import_result" {
			resultCol = i
		}
	}
	v := rowsView{Columns: append([]string{}, header...), Rows: [][]string{}}
	for {
		row, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		if want != "" && (resultCol < 0 || resultCol >= len(row.Cells) || report.Result(row.Cells[resultCol]) != want) {
			continue
		}
		v.Matched++
		if len(v.Rows) < maxRowsShown {
			v.Rows = append(v.Rows, append([]string{}, row.Cells...))
		}
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) pathJob(w http.ResponseWriter, r *http.Request) (*job, bool) {
	id, err := strconv.Atoi(r.PathValue("id"))
	s.mu.Lock()
	var j *job
	if err == nil {
		j = s.sess.job(id)
	}
	s.mu.Unlock()
	if j == nil {
		writeError(w, http.StatusNotFound, "no such run")
		return nil, false
	}
	return j, true
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

// importOptions are the options leadstatus import builds from the same choices.
func (s *Server) importOptions(u *upload, reportPath string, args []string) importer.Options {
	return importer.Options{
		Input:      u.path,
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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
