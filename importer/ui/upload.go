package ui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/mapping"
)

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
	u.sha = fileSHA256(u.path)
	s.mu.Lock()
	client := s.sess.client
	s.mu.Unlock()
	u.view = s.readColumns(r.Context(), u, client)
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
