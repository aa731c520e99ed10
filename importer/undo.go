package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer/enrich"
	"github.com/leadstatus/leadstatus/importer/nutshell"
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
		if it.settled == nil {
			plan.Leads = append(plan.Leads, it.group.Update.Lead)
		}
	}
	plan.Rows = items.rows()
	return plan, nil
}

// UndoOptions is everything one undo needs.
type UndoOptions struct {
	Input      string // the report of the import to undo
	ReportPath string // "" → beside the report, timestamped
	Force      bool
	DryRun     bool

	Workers   int
	Rate      float64
	StartRate float64
	Retries   int

	Client   *nutshell.Client // nil: no credentials (dry-run only)
	LockDir  string           // "" → the user's cache folder, as Options.LockDir
	Log      zerolog.Logger
	Progress Progress
	Stop     context.Context // the first Ctrl-C: stop dispatching
	Now      func() time.Time
	Random   func() float64
}

// Undo reopens the leads that the run behind opts.Input (a report) closed,
// and never a lead that was already closed before that run. It writes its own
// report with the same columns.
func Undo(ctx context.Context, uo UndoOptions) (*Summary, error) {
	o := Options{Input: uo.Input, ReportPath: uo.ReportPath, Force: uo.Force, DryRun: uo.DryRun, Workers: uo.Workers,
		Rate: uo.Rate, StartRate: uo.StartRate, Retries: uo.Retries, Client: uo.Client, Log: uo.Log, Progress: uo.Progress, Stop: uo.Stop, Now: uo.Now, Random: uo.Random}
	o.setDefaults()
	start := o.Now()
	if o.Client == nil && !o.DryRun {
		return nil, &SetupError{Err: errors.New("no credentials: set NUTSHELL_USERNAME and NUTSHELL_API_KEY, or use --dry-run or --mock")}
	}
	items, err := openUndoItems(o.Input, o.Source)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	defer items.src.Close()
	if !o.DryRun {
		// Two undos of one report at once would each reopen every lead.
		sha, _, err := report.FingerprintFile(o.Input)
		if err != nil {
			return nil, &SetupError{Err: fmt.Errorf("read %s: %w", o.Input, err)}
		}
		lock, err := takeLock(uo.LockDir, "undo\x00"+sha, o.Client, "undoing this report", o.Now(), o.Log)
		if err != nil {
			return nil, &SetupError{Err: err}
		}
		defer lock.Release()
	}
	path := o.ReportPath
	if path == "" {
		path = report.DefaultPath(strings.TrimSuffix(o.Input, filepath.Ext(o.Input))+".undo"+filepath.Ext(o.Input), o.Now())
	}
	if err := checkNotRead(path, []string{o.Input, report.MetaPath(o.Input)}); err != nil {
		return nil, &SetupError{Err: err}
	}
	enc, err := report.Create(path, items.columns, o.Force)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	plan := newRunPlan(&o, -1)
	plan.sum = &Summary{Input: o.Input, DryRun: o.DryRun, ReportPath: path}
	plan.stages = plan.newStages(items, enc, func(u *mapping.Update, l enrich.Lead) enrich.Decision {
		return enrich.Decide(u, l, enrich.Rules{}, nil)
	})
	return plan.finish(ctx, start)
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
	src, err := report.OpenRows(path, opts)
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
		return item{group: grp, statusBefore: before, settled: &settlement{result: report.Skipped, kind: "not_reopened", note: why}}
	}
	grp.Update = &mapping.Update{Lead: lead, Action: mapping.ActionReopen}
	return item{group: grp, statusBefore: before}
}

func (u *undoItems) rows() int { return u.n }
