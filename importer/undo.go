package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/importer/pacer"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// UndoPlan is what an undo would do, for the user to confirm.
type UndoPlan struct {
	Rows  int      // data rows in the report
	Leads []string // leads the run closed, to be reopened, in report order
}

// PlanUndo reads a report and lists the leads its run closed.
func PlanUndo(reportPath string, opts source.Options) (*UndoPlan, error) {
	items, err := openUndoItems(reportPath, opts)
	if err != nil {
		return nil, err
	}
	defer items.src.Close()
	plan := &UndoPlan{}
	for {
		it, err := items.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if it.settled == "" {
			plan.Leads = append(plan.Leads, it.group.Update.Lead)
		}
	}
	plan.Rows = items.rows()
	return plan, nil
}

// Undo reopens the leads that the run behind opts.Input (a report) closed,
// and never a lead that was already closed before that run. It writes its own
// report with the same columns.
func Undo(ctx context.Context, opts Options) (*Summary, error) {
	opts.setDefaults()
	start := opts.Now()
	if opts.Client == nil && !opts.DryRun {
		return nil, &SetupError{Err: errors.New("no credentials: set NUTSHELL_USERNAME and NUTSHELL_API_KEY, or use --dry-run or --mock")}
	}
	items, err := openUndoItems(opts.Input, opts.Source)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	defer items.src.Close()
	r := &runner{
		opts:    &opts,
		src:     items.src,
		items:   items,
		counts:  map[report.Result]int{},
		random:  opts.Random,
		total:   -1,
		summary: &Summary{Input: opts.Input, DryRun: opts.DryRun},
	}
	if r.random == nil {
		r.random = defaultRandom
	}
	r.pacer = pacer.New(pacer.Config{Ceiling: opts.Rate, Burst: opts.Burst, Start: opts.StartRate}, nil)
	path := opts.ReportPath
	if path == "" {
		path = report.DefaultPath(strings.TrimSuffix(opts.Input, ".csv")+".undo.csv", opts.Now())
	}
	if sameFile(path, opts.Input) {
		return nil, &SetupError{Err: fmt.Errorf("the undo report %s would overwrite the report being undone; choose another --report", path)}
	}
	enc, err := report.Create(path, items.columns, opts.Force)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	r.ordered = report.NewOrdered(enc, reorderWindow)
	r.summary.ReportPath = path
	sum := r.execute(ctx, -1)
	sum.Elapsed = opts.Now().Sub(start)
	return sum, r.fatalErr()
}

// undoItems turns a report's rows into reopen updates.
type undoItems struct {
	src     source.Reader
	columns []string // the report's input columns (not import_*)
	carried []int
	col     map[string]int
	n       int
	pending *source.Row
	done    bool
}

func openUndoItems(path string, opts source.Options) (*undoItems, error) {
	src, err := source.Open(path, opts)
	if err != nil {
		return nil, err
	}
	u := &undoItems{src: src, col: map[string]int{}}
	for i, h := range src.Header() {
		name := strings.ToLower(strings.TrimSpace(h))
		if strings.HasPrefix(name, "import_") {
			u.col[name] = i // the last one wins: a report made from a report
			continue
		}
		u.columns = append(u.columns, h)
		u.carried = append(u.carried, i)
	}
	for _, need := range []string{"import_row", "import_result", "import_lead_id", "import_status_before", "import_lead_status"} {
		if _, ok := u.col[need]; !ok {
			src.Close()
			return nil, fmt.Errorf("%s is not a leadstatus report with the column %s; undo needs the report of an import", path, need)
		}
	}
	return u, nil
}

func (u *undoItems) cell(cells []string, name string) string {
	i, ok := u.col[name]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimPrefix(strings.TrimSpace(cells[i]), "'")
}

// next groups consecutive rows of one lead (a merged update) and decides
// whether their lead is to be reopened.
func (u *undoItems) next() (item, error) {
	var rows []source.Row
	lead := ""
	for {
		var row source.Row
		if u.pending != nil {
			row, u.pending = *u.pending, nil
		} else {
			if u.done {
				break
			}
			r, err := u.src.Next()
			if errors.Is(err, io.EOF) {
				u.done = true
				break
			}
			if err != nil {
				return item{}, err
			}
			u.n++
			row = source.Row{Number: r.Number, Cells: append([]string(nil), r.Cells...)}
		}
		id := u.cell(row.Cells, "import_lead_id")
		if len(rows) > 0 && (id == "" || id != lead) {
			u.pending = &row
			break
		}
		lead = id
		rows = append(rows, row)
		if id == "" {
			break
		}
	}
	if len(rows) == 0 {
		return item{}, io.EOF
	}
	return u.decide(lead, rows), nil
}

func (u *undoItems) decide(lead string, rows []source.Row) item {
	grp := &mapping.Group{}
	var why string
	for _, row := range rows {
		n, _ := strconv.Atoi(u.cell(row.Cells, "import_row"))
		if n == 0 {
			n = row.Number
		}
		cells := make([]string, len(u.carried))
		for i, c := range u.carried {
			if c < len(row.Cells) {
				cells[i] = strings.TrimPrefix(row.Cells[c], "'")
			}
		}
		grp.Rows = append(grp.Rows, mapping.GroupRow{Number: n, Cells: cells})
		if why != "" {
			continue
		}
		before, after := u.cell(row.Cells, "import_status_before"), u.cell(row.Cells, "import_lead_status")
		switch result := report.Result(u.cell(row.Cells, "import_result")); {
		case lead == "":
			why = "not reopened: the row names no lead"
		case result != report.Succeeded:
			why = fmt.Sprintf("not reopened: the import did not change this lead (%s)", result)
		case before == "":
			why = "not reopened: the lead's status before the import is unknown, so it may have been closed already"
		case before != "open":
			why = fmt.Sprintf("not reopened: the lead was already closed (%s) before the import", before)
		case after == "" || after == "open":
			why = "not reopened: the import left the lead open"
		}
	}
	before := u.cell(rows[0].Cells, "import_lead_status")
	if why != "" {
		return item{group: grp, settled: report.Skipped, note: why, statusBefore: before}
	}
	grp.Update = &mapping.Update{Lead: lead, Action: mapping.ActionReopen}
	return item{group: grp, statusBefore: before}
}

func (u *undoItems) rows() int { return u.n }
