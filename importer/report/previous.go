package report

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// SucceededEarlier is the import_error of a row a resumed run skips because an
// earlier run succeeded with it. ReadPrevious counts such a "skipped" row as
// succeeded, so a report resumed twice still knows the row is done.
const SucceededEarlier = "succeeded in an earlier run"

// Previous is what an earlier report says about each row: which rows succeeded,
// and for which lead; which failed rows may have been applied anyway. It holds
// only those rows: succeeded rows as a sorted list of row numbers and one
// string of concatenated lead IDs (about 12 bytes plus the ID per row), and the
// row numbers of the uncertain ones.
type Previous struct {
	lastRow   int      // highest import_row read
	nums      []int    // row numbers of succeeded rows, ascending once finished
	ends      []uint32 // ends[i] is where the lead ID of nums[i] ends in ids
	ids       string
	uncertain []int // row numbers of rows that may have been applied, ascending once finished
	// before is the lead's status before the update for uncertain rows, as
	// the report gives it (import_status_before).
	before map[int]string
	// dispatched are the rows the earlier run's journal shows it sent; nil
	// when it left no journal.
	dispatched map[int]bool
	sorted     bool // nums and uncertain are in order as read
	build      []byte
}

// record is the part of one report row that resuming needs, as text.
type record struct {
	num, result, errText, leadID, httpStatus, attempts, statusBefore string
}

// ReadPrevious reads the report at path (.csv, .jsonl or .xlsx, by extension).
// A CSV or JSONL report cut off mid-line, as a killed run leaves it, is read
// up to its last complete line. A file without the report's columns gives a
// *NotReportError; a damaged line before the end a *CorruptError.
func ReadPrevious(path string) (*Previous, error) {
	p := &Previous{sorted: true}
	var err error
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		err = readPreviousCSV(path, p)
	case ".jsonl":
		err = readPreviousJSONL(path, p)
	case ".xlsx":
		err = readPreviousXLSX(path, p)
	default:
		return nil, &FormatError{Path: path, Ext: filepath.Ext(path)}
	}
	if err != nil {
		return nil, err
	}
	if p.dispatched, err = readJournal(path); err != nil {
		return nil, err
	}
	p.finish()
	return p, nil
}

// Succeeded reports whether the earlier report shows row succeeded for this
// same lead ID (a nil *Previous knows no rows): its import_result is "succeeded", or it is "skipped" with
// import_error exactly SucceededEarlier (a resumed run's mark for a row done
// before it), and its import_lead_id equals leadID. A row the earlier run
// applied to a different lead (the input was edited) does not count.
// Surrounding spaces are ignored in both comparisons.
func (p *Previous) Succeeded(row int, leadID string) bool {
	if p == nil {
		return false
	}
	leadID = strings.TrimSpace(leadID)
	i := sort.SearchInts(p.nums, row)
	// A row number appears more than once only in a file edited by hand;
	// any matching entry counts.
	for ; i < len(p.nums) && p.nums[i] == row; i++ {
		if p.leadID(i) == leadID {
			return true
		}
	}
	return false
}

// MayHaveApplied reports whether the earlier report shows row as failed after
// at least one request was sent, without a 4xx answer that says it was not
// applied: a timeout, a dropped connection, a 5xx, a run stopped mid-retry.
// Nutshell has no idempotency keys, so such a row should be checked before it
// is sent again. A row whose attempts or status cannot be read counts as
// uncertain.
func (p *Previous) MayHaveApplied(row int) bool {
	if p == nil {
		return false
	}
	i := sort.SearchInts(p.uncertain, row)
	return i < len(p.uncertain) && p.uncertain[i] == row
}

// StatusBefore returns the lead's status before the earlier run sent row's
// update, for a row that may have been applied; "" when the report does not
// say. It tells a change that run made from a state the lead already had.
func (p *Previous) StatusBefore(row int) string {
	if p == nil {
		return ""
	}
	return p.before[row]
}

// MaybeSent reports whether the earlier run may have sent row's update
// although its report does not show the row (a killed run): true when its
// journal shows the row dispatched, or when it left no journal to tell.
func (p *Previous) MaybeSent(row int) bool {
	if p == nil {
		return false
	}
	return p.dispatched == nil || p.dispatched[row]
}

// LastRow returns the highest import_row read, 0 if none. Rows after it were
// never reported: a killed run may have had some of them in flight.
func (p *Previous) LastRow() int {
	if p == nil {
		return 0
	}
	return p.lastRow
}

func (p *Previous) leadID(i int) string {
	start := uint32(0)
	if i > 0 {
		start = p.ends[i-1]
	}
	return p.ids[start:p.ends[i]]
}

// add records one data row of the report; line locates it for errors.
func (p *Previous) add(path string, line int, rec record) error {
	n, err := parseRowNumber(rec.num)
	if err != nil {
		return &CorruptError{Path: path, Line: line, Err: err}
	}
	if n < p.lastRow {
		p.sorted = false
	}
	p.lastRow = max(p.lastRow, n)
	switch Result(strings.TrimSpace(rec.result)) {
	case Succeeded:
	case Skipped:
		if strings.TrimSpace(rec.errText) != SucceededEarlier {
			return nil
		}
	case Failed:
		if mayHaveApplied(rec) {
			p.uncertain = append(p.uncertain, n)
			if st := strings.TrimSpace(unneutralize(strings.TrimSpace(rec.statusBefore))); st != "" {
				if p.before == nil {
					p.before = make(map[int]string)
				}
				p.before[n] = st
			}
		}
		return nil
	default:
		return nil
	}
	p.nums = append(p.nums, n)
	p.build = append(p.build, strings.TrimSpace(unneutralize(strings.TrimSpace(rec.leadID)))...)
	p.ends = append(p.ends, uint32(len(p.build)))
	return nil
}

// mayHaveApplied decides MayHaveApplied for a failed row.
func mayHaveApplied(rec record) bool { return MayHaveApplied(rec.attempts, rec.httpStatus) }

// MayHaveApplied says whether a failed row's update may have landed, from
// its import_attempts and import_http_status cells: no request sent
// (attempts empty or 0) or an answer that refused it (nutshell.NotApplied)
// means it was not applied; a status that cannot be read may have been.
func MayHaveApplied(attempts, httpStatus string) bool {
	attempts = strings.TrimSpace(attempts)
	if attempts == "" || attempts == "0" {
		return false
	}
	status, err := strconv.Atoi(strings.TrimSpace(httpStatus))
	return err != nil || !nutshell.NotApplied(status)
}

// finish moves the IDs into place and sorts by row if the report was not in
// row order (a report edited by hand).
func (p *Previous) finish() {
	p.ids = string(p.build)
	p.build = nil
	if p.sorted {
		return
	}
	sort.Ints(p.uncertain)
	type entry struct {
		num int
		id  string
	}
	entries := make([]entry, len(p.nums))
	for i := range p.nums {
		entries[i] = entry{p.nums[i], p.leadID(i)}
	}
	sort.SliceStable(entries, func(a, b int) bool { return entries[a].num < entries[b].num })
	var b strings.Builder
	for i, e := range entries {
		p.nums[i] = e.num
		b.WriteString(e.id)
		p.ends[i] = uint32(b.Len())
	}
	p.ids = b.String()
	p.sorted = true
}

// parseRowNumber reads import_row, which a spreadsheet may have turned into
// "2.0" if the report was saved again.
func parseRowNumber(s string) (int, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return n, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f <= 1<<31 && f == float64(int(f)) {
		return int(f), nil
	}
	return 0, fmt.Errorf("import_row %q is not a row number", s)
}

// reportColumns locates each import_* column in a header by its position,
// taking the last occurrence: a report made from a report carries the earlier
// import_* columns as input columns before its own. -1 means absent, as
// import_note is in a report written before it existed.
type reportColumns [numFields]int

func findColumns(path string, header []string) (reportColumns, error) {
	var c reportColumns
	for f := range c {
		c[f] = -1
	}
	for i, h := range header {
		if f, ok := fieldNamed(h); ok {
			c[f] = i
		}
	}
	for _, need := range []field{fieldRow, fieldResult, fieldLeadID} {
		if c[need] < 0 {
			return c, &NotReportError{Path: path, Reason: "it has no " + need.name() + " column"}
		}
	}
	return c, nil
}

// addRecord adds one record read by column position. A report without
// import_attempts counts every failed row as possibly applied.
func (p *Previous) addRecord(path string, line int, c reportColumns, rec []string) error {
	get := func(f field, absent string) string {
		i := c[f]
		if i < 0 {
			return absent
		}
		if i < len(rec) {
			return rec[i]
		}
		return ""
	}
	return p.add(path, line, record{
		num:          get(fieldRow, ""),
		result:       get(fieldResult, ""),
		errText:      get(fieldError, ""),
		leadID:       get(fieldLeadID, ""),
		httpStatus:   get(fieldHTTPStatus, ""),
		attempts:     get(fieldAttempts, "?"),
		statusBefore: get(fieldStatusBefore, ""),
	})
}
