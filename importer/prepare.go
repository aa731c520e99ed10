package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leadstatus/leadstatus/importer/pacer"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// prepare does everything that can fail before a single update is sent: open
// the input, recognise its columns, fetch the catalogues names resolve
// against, check a --resume report, create the report. Nothing is sent if it fails.
func prepare(ctx context.Context, o *Options) (*runner, error) {
	if o.Resume != "" && o.Input == "-" {
		return nil, errors.New("--resume needs the input as a file, not standard input, so it can check the report was made from it")
	}
	if o.Check && !o.DryRun {
		return nil, errors.New("--check goes with --dry-run: it only reads from Nutshell")
	}
	if !o.DryRun && o.Client == nil {
		return nil, errors.New("no credentials: set NUTSHELL_USERNAME and NUTSHELL_API_KEY, or use --dry-run or --mock")
	}
	src, err := source.Open(o.Input, o.Source)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			src.Close()
		}
	}()
	spec, err := mapping.NewSpec(src.Header(), o.Config)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(o.Input), err)
	}
	for _, w := range src.Warnings() {
		o.Log.Warn().Msg(w)
	}
	// A real run reads the whole file once before sending anything, so a
	// damaged file stops it with nothing sent; the count feeds the progress bar.
	total := -1
	if o.Input != "-" && (!o.DryRun || o.CountRows) {
		if total, err = prescan(o); err != nil {
			return nil, err
		}
	}
	p := pacer.New(pacer.Config{Ceiling: o.Rate, Burst: o.Burst, Start: o.StartRate}, func(c pacer.Change) {
		o.Log.Info().Float64("from", round2(c.From)).Float64("to", round2(c.To)).Str("reason", c.Reason).Msg("request rate changed")
	})
	resolver, err := newResolver(ctx, o, p)
	if err != nil {
		return nil, err
	}

	r := &runner{
		opts:    o,
		src:     src,
		items:   &rowGroups{src: src, grouper: mapping.NewGrouper(spec, resolver)},
		counts:  map[report.Result]int{},
		random:  o.Random,
		pacer:   p,
		total:   total,
		summary: &Summary{Input: o.Input, DryRun: o.DryRun, Warnings: src.Warnings()},
	}
	if r.random == nil {
		r.random = defaultRandom
	}

	var meta report.Meta
	if o.Input != "-" {
		sha, size, err := report.FingerprintFile(o.Input)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", o.Input, err)
		}
		meta = report.Meta{Input: o.Input, InputSHA256: sha, InputSize: size, Started: o.Now(), Tool: "leadstatus", Args: o.Args}
	}
	if o.Resume != "" {
		prev, err := loadPrevious(o.Resume, meta)
		if err != nil {
			return nil, err
		}
		r.previous = prev
	}

	path := o.ReportPath
	if path == "" {
		path = report.DefaultPath(o.Input, o.Now())
	}
	if o.Resume != "" && sameFile(path, o.Resume) {
		return nil, fmt.Errorf("the new report %s would overwrite the report being resumed; choose another --report", path)
	}
	enc, err := report.Create(path, spec.Columns(), o.Force)
	if err != nil {
		return nil, err
	}
	if o.Input != "-" {
		if err := report.WriteMeta(path, meta, true); err != nil {
			enc.Close()
			return nil, err
		}
	}
	r.ordered = report.NewOrdered(enc, reorderWindow)
	r.summary.ReportPath = path
	ok = true
	return r, nil
}

// loadPrevious reads a report to resume and checks it came from this input.
func loadPrevious(path string, meta report.Meta) (*report.Previous, error) {
	prevMeta, err := report.ReadMeta(path)
	if err != nil {
		return nil, fmt.Errorf("--resume %s: %w", path, err)
	}
	if prevMeta.InputSHA256 != meta.InputSHA256 {
		return nil, fmt.Errorf("--resume %s: that report was made from a different input (%s, %d bytes) than %s (%d bytes); resume with the same file", path, prevMeta.Input, prevMeta.InputSize, meta.Input, meta.InputSize)
	}
	prev, err := report.ReadPrevious(path)
	if err != nil {
		return nil, fmt.Errorf("--resume %s: %w", path, err)
	}
	return prev, nil
}

// prescan reads every row once and returns how many there are, or the
// file-level error that would stop the run part-way.
func prescan(o *Options) (int, error) {
	src, err := source.Open(o.Input, o.Source)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	n := 0
	for {
		_, err := src.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		n++
	}
}

func displayName(input string) string {
	if input == "-" {
		return "standard input"
	}
	return input
}

func sameFile(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	if aa == bb {
		return true
	}
	sa, err1 := os.Stat(aa)
	sb, err2 := os.Stat(bb)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
