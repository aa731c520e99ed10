package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/importer/enrich"
	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/sender"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// UndoPlan is what an undo would do, for the user to confirm. It comes
// from the report alone; the undo reads each lead before it acts, and leaves
// alone a lead changed since the import.
type UndoPlan struct {
	Rows  int      // data rows in the report
	Leads []string // leads the run closed, to be reopened, in report order
	// ProductMaps are the product maps the run added, to be taken off, in
	// report order; MapLeads counts the leads they are on.
	ProductMaps []string
	MapLeads    int
	// Uncertain are leads whose update failed as "may have been applied":
	// each is reopened only if its read shows the update landed.
	Uncertain []string
	// MapsUnknown: the report has no import_product_maps column (it was
	// written before it existed), so the products the run added stay.
	MapsUnknown bool
}

// Changes is how many leads the plan may change.
func (p *UndoPlan) Changes() int { return len(p.Leads) + len(p.Uncertain) + len(p.ProductMaps) }

// PlanUndo reads a report and lists the leads its run closed and the product
// maps it added.
func PlanUndo(reportPath string, opts source.Options) (*UndoPlan, error) {
	items, err := openUndoItems(reportPath, opts)
	if err != nil {
		return nil, err
	}
	defer items.src.Close()
	plan := &UndoPlan{MapsUnknown: !items.hasMaps}
	for {
		it, err := items.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if it.settled != nil {
			continue
		}
		w, lead := it.undo, it.group.Update.Lead
		switch {
		case w.uncertain:
			plan.Uncertain = append(plan.Uncertain, lead)
		case w.reopen:
			plan.Leads = append(plan.Leads, lead)
		}
		if len(w.maps) > 0 {
			plan.ProductMaps = append(plan.ProductMaps, w.maps...)
			plan.MapLeads++
		}
	}
	plan.Rows = items.rows()
	return plan, nil
}

// MapsUnknownWarning is said when a report does not record the product maps
// its run added.
const MapsUnknownWarning = "the report does not record the product maps its run added (it was written before import_product_maps existed): undo reopens the leads, and the products the run added stay on them"

// UndoOptions are an undo's options: the same Options an import takes.
// An undo reads Input (the report of the import to undo; "" ReportPath
// puts its own report beside it, timestamped), ReportPath, Force, DryRun,
// the speed options, Client, LockDir, Log, Progress, Stop, Now and Random,
// with the same defaults; the options only an import has are not read.
type UndoOptions = Options

// Undo reopens the leads that the run behind o.Input (a report) closed,
// and never a lead that was already closed before that run. It writes its own
// report with the same columns.
func Undo(ctx context.Context, o Options) (*Summary, error) {
	o = o.forUndo()
	o.setDefaults()
	start := o.Now()
	if err := o.needsClient(); err != nil {
		return nil, &SetupError{Err: err}
	}
	total, err := countUndoRows(o.Input, o.Source)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	items, err := openUndoItems(o.Input, o.Source)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	defer items.src.Close()
	if !items.hasMaps {
		o.Log.Warn().Msg(MapsUnknownWarning)
	}
	if !o.DryRun {
		// Two undos of one report at once would each reopen every lead.
		sha, _, err := report.FingerprintFile(o.Input)
		if err != nil {
			return nil, &SetupError{Err: fmt.Errorf("read %s: %w", o.Input, err)}
		}
		lock, err := takeLock(o.LockDir, "undo\x00"+sha, o.Client, "undoing this report", o.Now(), o.Log)
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
	plan := newRunPlan(&o, total)
	plan.sum = &Summary{Input: o.Input, DryRun: o.DryRun, ReportPath: path}
	if plan.send != nil {
		// The outcomes name what a lead was changed to since the import,
		// and proving the credentials before anything is sent.
		names, err := enrich.NewNames(ctx, o.Client, plan.send, func() bool { _, _, s := plan.stop.Stopped(); return s })
		if err != nil {
			enc.Close()
			if fatal := plan.stop.Err(); fatal != nil {
				return nil, fatal
			}
			return nil, &SetupError{Err: err}
		}
		items.names = names
	}
	plan.stages = plan.newStages(items, enc, stageSettings{readLeads: plan.send != nil, tally: newTally(nil, undoAttention), undoNames: items.names})
	return plan.finish(ctx, start)
}

// forUndo keeps the options an undo reads; the report is read as
// leadstatus wrote it, whatever the import's reading options were.
func (o Options) forUndo() Options {
	return Options{Input: o.Input, ReportPath: o.ReportPath, Force: o.Force, DryRun: o.DryRun, LockDir: o.LockDir,
		Workers: o.Workers, Rate: o.Rate, StartRate: o.StartRate, Burst: o.Burst, Retries: o.Retries,
		BackoffBase: o.BackoffBase, BackoffMax: o.BackoffMax, OutageAfter: o.OutageAfter, OutagePause: o.OutagePause, OutagePauses: o.OutagePauses,
		Client: o.Client, Log: o.Log, Progress: o.Progress, Stop: o.Stop, Now: o.Now, Random: o.Random}
}

// countUndoRows counts a report's rows, for the progress's total.
func countUndoRows(path string, opts source.Options) (int, error) {
	src, err := report.OpenRows(path, opts)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	return countRows(src, func(source.Row) {})
}

// undoAttention is an undo's rule for the rows that need a look: rows it had
// nothing to undo for are no failure; a lead changed since the import, left
// alone, needs a look, as do rows that failed, were invalid or not sent.
func undoAttention(result report.Result, k kind.Kind) bool {
	switch result {
	case report.Failed, report.Invalid, report.NotSent:
		return true
	}
	return k == kind.ChangedSince
}

// undoWork is what an undo is to do to one lead.
type undoWork struct {
	reopen    bool     // the import closed the lead: reopen it
	uncertain bool     // the import's update may have been applied: reopen only if the read shows it landed
	status    string   // the status the import left the lead in ("won"; "open" when it only added products)
	outcome   string   // the outcome ID the import sent, from its body
	maps      []string // the product maps the import added, to take off
	gone      []string // of those, maps the read shows are no longer on the lead
	statusNow string   // the lead's status as read before the undo
	// reopenedSince: the import closed the lead and it is open again.
	reopenedSince bool
}

// target names what the undo does to the lead, for the plan.
func (w *undoWork) target() string {
	switch {
	case w.reopen && len(w.maps) > 0:
		return "reopen, take off products"
	case w.reopen:
		return "reopen"
	}
	return "take off products"
}

// decideUndo settles an undo from what the read shows of its lead now: only
// what is still as the import left it is undone.
func (s *stages) decideUndo(w *undoWork, l enrich.Lead, mapsNow []string, mapsKnown bool) enrich.Decision {
	skip := func(k kind.Kind, note string) enrich.Decision {
		return enrich.Decision{Result: report.Skipped, Kind: k, Note: note}
	}
	switch {
	case !l.Found:
		return skip(kind.LeadGone, "nothing undone: the lead no longer exists in Nutshell")
	case l.Deleted:
		return skip(kind.LeadGone, "nothing undone: the lead was deleted in Nutshell since the import")
	}
	now := s.undoLabel(l)
	switch {
	case w.uncertain:
		same, known := s.sameAsImport(w, l)
		switch {
		case !known:
			return skip(kind.NotApplied, fmt.Sprintf("not reopened: the import's update failed and may have been applied, but the read cannot tell (now %s); check the lead in Nutshell", now))
		case !l.Closed() || !same:
			return skip(kind.NotApplied, fmt.Sprintf("nothing undone: the import's update failed and the lead shows it did not land (now %s)", now))
		}
	case w.reopen && !l.Closed():
		w.reopen, w.reopenedSince = false, true // only the product maps are left to take off
	case w.reopen:
		if same, known := s.sameAsImport(w, l); known && !same {
			return skip(kind.ChangedSince, fmt.Sprintf("changed since the import (now %s); not reopened", now))
		}
		if mapsKnown && len(w.maps) > 0 && !slices.ContainsFunc(w.maps, func(id string) bool { return slices.Contains(mapsNow, id) }) {
			// Closed as the import left it, but without a product map the
			// import added: undone and closed again since (by a later run,
			// or by hand). Reopening would undo that later change.
			return skip(kind.ChangedSince, fmt.Sprintf("changed since the import (now %s, without the product maps it added); not reopened", now))
		}
	case w.status != "" && l.Status != w.status,
		l.Closed() && l.Outcome != "" && w.outcome != "" && !strings.EqualFold(l.Outcome, w.outcome):
		return skip(kind.ChangedSince, fmt.Sprintf("changed since the import (now %s); its product maps were not taken off", now))
	}
	w.statusNow = l.Status
	if mapsKnown {
		var left []string
		for _, id := range w.maps {
			if slices.Contains(mapsNow, id) {
				left = append(left, id)
			} else {
				w.gone = append(w.gone, id)
			}
		}
		w.maps = left
	}
	if !w.reopen && len(w.maps) == 0 {
		return skip(kind.NothingLeft, "nothing left to undo: the lead is open and the product maps the import added are gone")
	}
	return enrich.Decision{}
}

// sameAsImport reports whether the lead is closed with what the import set
// (known: the read and the report can tell).
func (s *stages) sameAsImport(w *undoWork, l enrich.Lead) (same, known bool) {
	if l.Outcome != "" && w.outcome != "" {
		return strings.EqualFold(l.Outcome, w.outcome), true
	}
	status := w.status
	if status == "" && w.outcome != "" && s.undoNames != nil {
		if o, err := s.undoNames.Outcome(w.outcome); err == nil {
			status = o.Status
		}
	}
	if status == "" {
		return false, false
	}
	return l.Status == status, true
}

// undoLabel names a lead's state for a message: its outcome's name, or its status.
func (s *stages) undoLabel(l enrich.Lead) string {
	if l.Outcome != "" && s.undoNames != nil {
		if name := s.undoNames.Name(l.Outcome); name != "" {
			return name
		}
	}
	if l.Status == "" {
		return "in an unknown state"
	}
	return l.Status
}

// undoLead reopens the lead when the import closed it, then takes off the
// product maps the import added, each with DELETE /productMaps/{id}.
func (s *stages) undoLead(ctx context.Context, j job) sender.Outcome {
	w := j.undo
	if s.dryRun {
		return sender.Outcome{Result: report.DryRun, ProductMaps: w.maps, Note: undoNote(w, nil, true)}
	}
	out := sender.Outcome{Result: report.Succeeded, LeadStatus: w.statusNow}
	if w.reopen {
		out = s.send.Send(ctx, j.group.Update, nil, sender.Prior{Lead: j.before})
		if out.Result != report.Succeeded {
			if len(w.maps) > 0 {
				out.Error = joinNotes(out.Error, "its product maps were not taken off")
			}
			return out
		}
	}
	var failed []string
	for _, id := range w.maps {
		gone, err := s.send.DeleteProductMap(ctx, id)
		switch {
		case err != nil:
			failed = append(failed, fmt.Sprintf("%s (%s)", id, err))
		case gone:
			w.gone = append(w.gone, id)
		default:
			out.ProductMaps = append(out.ProductMaps, id)
		}
	}
	if len(failed) > 0 {
		out.Result, out.Kind = report.Failed, kind.MapsNotTakenOff
		did := "not reopened"
		if w.reopen {
			did = "reopened"
		}
		out.Error = fmt.Sprintf("%s, but could not take off %s; run undo again to finish", did, strings.Join(failed, ", "))
	}
	out.Note = joinNotes(out.Note, undoNote(w, out.ProductMaps, false))
	return out
}

// undoNote says what an undo did, or in a dry run would do, to one lead.
func undoNote(w *undoWork, took []string, dryRun bool) string {
	var parts []string
	if dryRun {
		if w.reopen {
			parts = append(parts, "would reopen")
		}
		if len(w.maps) > 0 {
			parts = append(parts, "would take off "+strings.Join(w.maps, ", "))
		}
	} else {
		if w.reopen {
			parts = append(parts, "reopened")
		} else if w.reopenedSince {
			parts = append(parts, "already reopened")
		}
		if len(took) > 0 {
			parts = append(parts, "took off "+strings.Join(took, ", "))
		}
	}
	if len(w.gone) > 0 {
		parts = append(parts, strings.Join(w.gone, ", ")+" already gone")
	}
	return strings.Join(parts, "; ")
}

// undoItems turns a report's rows into reopen updates.
type undoItems struct {
	src     source.Reader
	columns []string // the report's input columns (not import_*)
	carried []int
	col     map[string]int
	hasMaps bool // the report has import_product_maps
	names   *enrich.Names
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
	_, u.hasMaps = u.col["import_product_maps"]
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
	var k kind.Kind
	w := &undoWork{}
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
		for _, id := range strings.Split(u.cell(row.Cells, "import_product_maps"), ";") {
			if id = strings.TrimSpace(id); id != "" && !slices.Contains(w.maps, id) {
				w.maps = append(w.maps, id)
			}
		}
		if why != "" {
			continue
		}
		k, why = u.rowWork(row.Cells, lead, w)
	}
	before := u.cell(rows[0].Cells, "import_lead_status")
	if why != "" {
		return item{group: grp, statusBefore: before, settled: &settlement{result: report.Skipped, kind: k, note: why}}
	}
	grp.Update = &mapping.Update{Lead: lead, Action: mapping.ActionReopen}
	return item{group: grp, statusBefore: before, undo: w}
}

// rowWork reads what the import did with one row into w, or says why there
// is nothing to undo, by what the row really was in the import.
func (u *undoItems) rowWork(cells []string, lead string, w *undoWork) (k kind.Kind, why string) {
	before, after := u.cell(cells, "import_status_before"), u.cell(cells, "import_lead_status")
	result := report.Result(u.cell(cells, "import_result"))
	switch result {
	case report.NotSent:
		return kind.NotSentByImport, "nothing to undo: the import did not send this row"
	case report.Invalid:
		return kind.InvalidInImport, "nothing to undo: the row was invalid in the import"
	case report.DryRun:
		return kind.DryRunImport, "nothing to undo: the import was a dry run"
	case report.Skipped:
		if u.cell(cells, "import_error") == report.SucceededEarlier {
			return kind.DoneByEarlier, "nothing to undo here: an earlier run did this row; undo that run's report"
		}
		return kind.SkippedByImport, "nothing to undo: the import skipped this row"
	}
	if lead == "" {
		return kind.NoLead, "nothing to undo: the row names no lead"
	}
	w.outcome = bodyOutcome(u.cell(cells, "import_body"))
	if result == report.Failed {
		if !u.mayHaveApplied(cells) || w.outcome == "" {
			return kind.FailedInImport, "nothing to undo: the import's update of this lead failed"
		}
		if before != "open" {
			return kind.FailedInImport, "nothing to undo: the import's update failed, and the lead was not open before it"
		}
		w.uncertain, w.reopen = true, true
		return "", ""
	}
	if result != report.Succeeded {
		return kind.SkippedByImport, fmt.Sprintf("nothing to undo: the import did not change this lead (%s)", result)
	}
	w.status = after
	switch {
	case before == "":
		if len(w.maps) > 0 {
			return "", ""
		}
		return kind.StatusBeforeUnread, "not reopened: the lead's status before the import is unknown, so it may have been closed already"
	case before != "open":
		if len(w.maps) > 0 {
			return "", "" // only its product maps are taken off
		}
		return kind.ClosedBefore, fmt.Sprintf("not reopened: the lead was already closed (%s) before the import", before)
	case after == "" || after == "open":
		if len(w.maps) > 0 {
			w.status = "open"
			return "", ""
		}
		return kind.LeftOpen, "nothing to undo: the import left the lead open and recorded no product maps it added"
	}
	w.reopen = true
	return "", ""
}

// mayHaveApplied: a failed row after which the update may have landed (a
// request was sent and no 4xx said it was refused), as --resume reads it.
func (u *undoItems) mayHaveApplied(cells []string) bool {
	return report.MayHaveApplied(u.cell(cells, "import_attempts"), u.cell(cells, "import_http_status"))
}

// bodyOutcome is the outcome ID an import's body sent, "" if none.
func bodyOutcome(body string) string {
	var b struct {
		OutcomeID string `json:"outcomeId"`
	}
	if json.Unmarshal([]byte(body), &b) != nil {
		return ""
	}
	return b.OutcomeID
}

func (u *undoItems) rows() int { return u.n }
