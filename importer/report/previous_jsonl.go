package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// jsonlRecord holds the keys of a JSONL report line that resuming needs.
type jsonlRecord struct {
	Row        *json.Number `json:"import_row"`
	Result     *string      `json:"import_result"`
	Error      string       `json:"import_error"`
	LeadID     *string      `json:"import_lead_id"`
	HTTPStatus json.Number  `json:"import_http_status"` // "" when null
	Attempts   json.Number  `json:"import_attempts"`
}

// readPreviousJSONL reads a JSONL report. A last line with no newline is a
// line cut off by a killed run and is ignored.
func readPreviousJSONL(path string, p *Previous) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open previous report: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, csvBufferSize)
	for line := 1; ; line++ {
		text, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			if line == 1 && len(bytes.TrimSpace(text)) == 0 {
				return &NotReportError{Path: path, Reason: "it is empty"}
			}
			return nil // text, if any, is an incomplete last line
		}
		if err != nil {
			return fmt.Errorf("read previous report %s: %w", path, err)
		}
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		var rec jsonlRecord
		err = json.Unmarshal(text, &rec)
		if err == nil && (rec.Row == nil || rec.Result == nil || rec.LeadID == nil) {
			err = errors.New("a line lacks import_row, import_result or import_lead_id")
		}
		if err != nil {
			if p.rows == 0 {
				return &NotReportError{Path: path, Reason: "its first line is not a JSON object with import_row, import_result and import_lead_id"}
			}
			return &CorruptError{Path: path, Line: line, Err: err}
		}
		r := record{
			num:        rec.Row.String(),
			result:     *rec.Result,
			errText:    rec.Error,
			leadID:     *rec.LeadID,
			httpStatus: rec.HTTPStatus.String(),
			attempts:   rec.Attempts.String(),
		}
		if err := p.add(path, line, r); err != nil {
			return err
		}
	}
}
