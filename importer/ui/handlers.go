package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
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
	Name    string `json:"name"`
	Sheet   string `json:"sheet,omitempty"`
	Mapping string `json:"mapping,omitempty"`
	// MappingMade: the mapping file is the page's choices, not one chosen.
	MappingMade bool         `json:"mapping_made,omitempty"`
	Columns     []columnView `json:"columns"`
	Warnings    []string     `json:"warnings"`
	Error       string       `json:"error,omitempty"` // the file cannot be read
	// Preview is the first rows as the sheet shows them; HeaderRow the
	// row read as the header (0 = none found), HeaderChosen whether the
	// mapping names it.
	Preview      []previewRow  `json:"preview"`
	HeaderRow    int           `json:"header_row"`
	HeaderChosen bool          `json:"header_chosen"`
	Rows         int           `json:"rows"`
	Fields       []string      `json:"fields"`
	Problems     []problemView `json:"problems"`
	Outcome      *outcomeView  `json:"outcome,omitempty"`
	// CanCheck: the file can be checked; Why says what to do when not.
	CanCheck bool   `json:"can_check"`
	Why      string `json:"why,omitempty"`
}

type columnView struct {
	Letter  string   `json:"letter"`
	Header  string   `json:"header"`
	Field   string   `json:"field"`   // the field it feeds; "" when only carried
	Carried bool     `json:"carried"` // copied into the report
	Samples []string `json:"samples"`
	// Choice is the mapping's word on it: a field, "keep", or "" when
	// read by its name.
	Choice string `json:"choice"`
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
	Left       int                     `json:"left"`            // rows a resume would send again
	Limit      int                     `json:"limit,omitempty"` // a pilot's size
	Updates    int                     `json:"updates"`
	// UpdateClosed: the run also updates leads already closed.
	UpdateClosed bool `json:"update_closed"`
}

func (j *job) view() jobView {
	v := jobView{ID: j.id, Kind: j.kind, Running: j.running, Stopping: j.stopping, Progress: j.progress.view(),
		Report: j.report, Summary: j.record, Error: j.err, CanResume: j.resume, Left: j.left, Limit: j.limit, Updates: j.updates, UpdateClosed: j.choices.UpdateClosed}
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
		case <-s.quit:
			// The page says at once that the program stopped.
			fmt.Fprint(w, "event: stopped\ndata: {}\n\n")
			flusher.Flush()
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
	if !readJSON(w, r, &c, "the e-mail and API key") {
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

// handleSignOut forgets credentials typed into the page, so they can be
// typed again (after Nutshell refused them); the environment's stay.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.sess.running() != nil:
		writeError(w, http.StatusConflict, "a run is in progress; sign in again when it has finished")
	case s.sess.user == "" || s.cfg.NewClient == nil:
		writeError(w, http.StatusConflict, "the credentials come from NUTSHELL_USERNAME and NUTSHELL_API_KEY: correct them, then start leadstatus again")
	default:
		s.sess.client, s.sess.user = nil, ""
		writeJSON(w, http.StatusOK, map[string]bool{"signed_in": false})
	}
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
	path, ok := s.finishedReport(w, r, "the report is ready when the run has finished")
	if !ok {
		return
	}
	serveDownload(w, r, path, filepath.Base(path))
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
	path, ok := s.finishedReport(w, r, "the rows are ready when the run has finished")
	if !ok {
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

// finishedReport returns the report of the run named in the path, or answers
// notReady while the run has none yet.
func (s *Server) finishedReport(w http.ResponseWriter, r *http.Request, notReady string) (string, bool) {
	j, ok := s.pathJob(w, r)
	if !ok {
		return "", false
	}
	s.mu.Lock()
	path, running := j.report, j.running
	s.mu.Unlock()
	if running || path == "" {
		writeError(w, http.StatusConflict, notReady)
		return "", false
	}
	return path, true
}

// readJSON decodes the request's JSON body (64 KiB at most) into v, or
// answers that what must be sent as JSON.
func readJSON(w http.ResponseWriter, r *http.Request, v any, what string) bool {
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "send "+what+" as JSON")
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
