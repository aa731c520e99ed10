package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/schollz/progressbar/v3"

	"github.com/leadstatus/leadstatus/importer/report"
)

// tally counts rows per result for progress displays.
type tally struct {
	mu      sync.Mutex
	done    int
	ok      int
	failed  int
	invalid int
	started time.Time
	total   int
}

func (t *tally) add(result report.Result, n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done += n
	switch result {
	case report.Succeeded, report.DryRun, report.Skipped:
		t.ok += n
	case report.Failed:
		t.failed += n
	case report.Invalid:
		t.invalid += n
	}
}

// counts is a tally at one moment.
type counts struct {
	done, ok, failed, invalid, total int
	elapsed                          time.Duration
}

func (t *tally) snapshot() counts {
	t.mu.Lock()
	defer t.mu.Unlock()
	return counts{t.done, t.ok, t.failed, t.invalid, t.total, time.Since(t.started)}
}

// left estimates the time left from the pace so far; false when unknown.
func (c counts) left() (time.Duration, bool) {
	if c.total <= 0 || c.done == 0 || c.done > c.total {
		return 0, false
	}
	return time.Duration(float64(c.elapsed) / float64(c.done) * float64(c.total-c.done)), true
}

// describe is the progress line's text: "ok 120, failed 2, invalid 7".
func (c counts) describe() string {
	s := fmt.Sprintf("ok %d, failed %d", c.ok, c.failed)
	if c.invalid > 0 {
		s += fmt.Sprintf(", invalid %d", c.invalid)
	}
	return s
}

// bar is the progress bar shown on a terminal.
type bar struct {
	w     io.Writer
	tally tally

	mu sync.Mutex // serialises drawing and log lines
	pb *progressbar.ProgressBar
}

func newBar(w io.Writer) *bar { return &bar{w: w} }

// logWriter returns a writer for log lines that clears the bar before each
// line; the bar redraws itself on its next update.
func (b *bar) logWriter() io.Writer { return barLogWriter{b} }

type barLogWriter struct{ b *bar }

func (w barLogWriter) Write(p []byte) (int, error) {
	w.b.mu.Lock()
	defer w.b.mu.Unlock()
	if w.b.pb != nil {
		_ = w.b.pb.Clear()
	}
	return w.b.w.Write(p)
}

func (b *bar) Start(total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tally.started = time.Now()
	b.tally.total = total
	b.pb = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetDescription("importing"),
	)
}

func (b *bar) Done(result report.Result, n int) {
	b.tally.add(result, n)
	c := b.tally.snapshot()
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.pb.Add(n)
	b.pb.Describe(c.describe())
}

func (b *bar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pb != nil {
		_ = b.pb.Finish()
	}
}

// progressLog writes a progress line every interval when stderr is not a terminal.
type progressLog struct {
	log      zerolog.Logger
	interval time.Duration
	tally    tally
	stop     chan struct{}
	wg       sync.WaitGroup
}

func newProgressLog(log zerolog.Logger, interval time.Duration) *progressLog {
	return &progressLog{log: log, interval: interval, stop: make(chan struct{})}
}

func (p *progressLog) Start(total int) {
	p.tally.started = time.Now()
	p.tally.total = total
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(p.interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				c := p.tally.snapshot()
				ev := p.log.Info().Int("rows_done", c.done).Int("ok", c.ok).Int("failed", c.failed).Int("invalid", c.invalid).
					Int("failed_or_invalid", c.failed+c.invalid).
					Float64("rows_per_second", round1(float64(c.done)/c.elapsed.Seconds()))
				if c.total > 0 {
					ev = ev.Int("rows_total", c.total)
				}
				if left, ok := c.left(); ok {
					ev = ev.Float64("seconds_left", round1(left.Seconds()))
				}
				ev.Msg("progress")
			}
		}
	}()
}

func (p *progressLog) Done(result report.Result, n int) { p.tally.add(result, n) }

func (p *progressLog) Finish() {
	close(p.stop)
	p.wg.Wait()
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }
