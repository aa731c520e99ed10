package ui

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
)

// needsAttention says whether a row with result must be looked at: it was
// not sent for a reason the person can act on.
func needsAttention(r report.Result) bool {
	return r == report.Invalid || r == report.Failed || r == report.NotSent
}

// reasonGroup is one distinct reason: every row that gave exactly it.
type reasonGroup struct {
	Result report.Result `json:"result"`
	Reason string        `json:"reason"`
	Count  int           `json:"count"`
	Rows   []int         `json:"rows"` // the first maxReasonRows row numbers
}

const maxReasonRows = 20

// reportTable is a report read back: its header and rows as written, with
// the columns the page uses found by name.
type reportTable struct {
	header                    []string
	rows                      []source.Row
	result, errCol, note, row int // column indexes; -1 when absent
}

func readReportTable(path string) (*reportTable, error) {
	src, err := report.OpenRows(path, source.Options{})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	t := &reportTable{header: append([]string{}, src.Header()...)}
	t.result = slices.Index(t.header, "import_result")
	t.errCol = slices.Index(t.header, "import_error")
	t.note = slices.Index(t.header, "import_note")
	t.row = slices.Index(t.header, "import_row")
	for {
		row, err := src.Next()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, err
		}
		row.Cells = append([]string{}, row.Cells...)
		t.rows = append(t.rows, row)
	}
}

func cell(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}

// reason is what the report says about a row: its error, else its note.
func (t *reportTable) reason(cells []string) string {
	if e := cell(cells, t.errCol); e != "" {
		return e
	}
	return cell(cells, t.note)
}

// groups are the distinct reasons of the rows that need attention, largest
// first: each value its own group, so no row speaks for another.
func (t *reportTable) groups() []reasonGroup {
	index := map[[2]string]int{}
	var out []reasonGroup
	for _, r := range t.rows {
		res := report.Result(cell(r.Cells, t.result))
		if !needsAttention(res) {
			continue
		}
		key := [2]string{string(res), t.reason(r.Cells)}
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, reasonGroup{Result: res, Reason: key[1], Rows: []int{}})
		}
		out[i].Count++
		if len(out[i].Rows) < maxReasonRows {
			n, _ := strconv.Atoi(cell(r.Cells, t.row))
			out[i].Rows = append(out[i].Rows, n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// finishedTable reads back the report (at path) of the finished run the
// request names; notReady is what to say while it is still going.
func (s *Server) finishedTable(w http.ResponseWriter, r *http.Request, notReady string) (t *reportTable, path string, ok bool) {
	path, ok = s.finishedReport(w, r, notReady)
	if !ok {
		return nil, "", false
	}
	t, err := readReportTable(path)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "read the report back: "+err.Error())
		return nil, "", false
	}
	return t, path, true
}

func (s *Server) handleReasons(w http.ResponseWriter, r *http.Request) {
	t, _, ok := s.finishedTable(w, r, "the reasons are ready when the run has finished")
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, append([]reasonGroup{}, t.groups()...))
}

// toFix says whether a row with result needs a change before it can go:
// rows only waiting to be sent (not sent) are left to a resume.
func toFix(r report.Result) bool {
	return r == report.Invalid || r == report.Failed
}

// handleFix downloads an XLSX of only the rows that need fixing: the
// reason first, then the row's number and its cells as read, so it can be
// fixed and imported again.
func (s *Server) handleFix(w http.ResponseWriter, r *http.Request) {
	t, path, ok := s.finishedTable(w, r, "the rows to fix are ready when the run has finished")
	if !ok {
		return
	}
	var inputCols []int
	for i, h := range t.header {
		if !strings.HasPrefix(h, "import_") {
			inputCols = append(inputCols, i)
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Rows to fix"
	_ = f.SetSheetName("Sheet1", sheet)
	head := []any{"Reason", "Result", "Row in the file"}
	for _, i := range inputCols {
		head = append(head, t.header[i])
	}
	_ = f.SetSheetRow(sheet, "A1", &head)
	n := 1
	for _, row := range t.rows {
		res := report.Result(cell(row.Cells, t.result))
		if !toFix(res) {
			continue
		}
		n++
		line := cell(row.Cells, t.row)
		vals := []any{t.reason(row.Cells), resultWords(res), line}
		for _, i := range inputCols {
			vals = append(vals, cell(row.Cells, i))
		}
		// Strings only: a cell is never a formula.
		for j, v := range vals {
			a, _ := excelize.CoordinatesToCellName(j+1, n)
			_ = f.SetCellStr(sheet, a, fmt.Sprint(v))
		}
	}
	_ = f.SetColWidth(sheet, "A", "A", 60)
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".rows-to-fix.xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	if err := f.Write(w); err != nil {
		s.cfg.Log.Error().Err(err).Msg("write the rows to fix")
	}
}

// handleReportAs downloads a run's report in the other format than it was
// written in: the same header and cells (CSV cells neutralised as the CSV
// report's are; XLSX cells as text).
func (s *Server) handleReportAs(w http.ResponseWriter, r *http.Request) {
	path, ok := s.finishedReport(w, r, "the report is ready when the run has finished")
	if !ok {
		return
	}
	format := r.PathValue("format")
	if "."+format == strings.ToLower(filepath.Ext(path)) {
		serveDownload(w, r, path, filepath.Base(path))
		return
	}
	t, err := readReportTable(path)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "read the report back: "+err.Error())
		return
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + "." + format
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	switch format {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", disposition)
		cw := csv.NewWriter(w)
		_ = cw.Write(t.header)
		for _, row := range t.rows {
			cells := make([]string, len(row.Cells))
			for i, c := range row.Cells {
				cells[i] = report.Neutralize(c)
			}
			_ = cw.Write(cells)
		}
		cw.Flush()
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		const sheet = "Report"
		_ = f.SetSheetName("Sheet1", sheet)
		all := [][]string{t.header}
		for _, row := range t.rows {
			all = append(all, row.Cells)
		}
		for i, cells := range all {
			for j, c := range cells {
				a, _ := excelize.CoordinatesToCellName(j+1, i+1)
				_ = f.SetCellStr(sheet, a, c)
			}
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", disposition)
		if err := f.Write(w); err != nil {
			s.cfg.Log.Error().Err(err).Msg("write the report as XLSX")
		}
	default:
		writeError(w, http.StatusBadRequest, "choose csv or xlsx")
	}
}

// resultWords says a result in plain words, as the page does.
func resultWords(r report.Result) string {
	switch r {
	case report.DryRun:
		return "would be sent"
	case report.NotSent:
		return "not sent"
	case report.Invalid:
		return "needs fixing in the file"
	}
	return string(r)
}
