package report

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// flushEvery is the longest a written row waits in the encoder's buffer. At
// the rates the API allows (rows tens of milliseconds apart) every batch is
// flushed as it is written; only a fast run (a dry run, a local fake) has its
// flushes gathered, at most one per flushEvery, which keeps the loss on a kill
// to the rows in flight plus those of the last flushEvery.
const flushEvery = 10 * time.Millisecond

// Ordered writes groups of rows in sequence order while they complete out of
// order. At most window groups may be reserved and not yet written: Reserve
// blocks beyond that, which bounds the rows held in memory. It is safe for
// concurrent use.
//
// After each batch of ready groups it flushes the encoder, so a killed run
// loses at most the rows in flight, except that flushes come at most once per
// flushEvery: a batch written sooner after the last flush is flushed by a
// timer. A flush is a system call; one per one-row group took more than half
// the time of BenchmarkCSVReport (a million rows), see its comment.
type Ordered struct {
	enc   Encoder
	slots chan struct{} // one token per reserved, unwritten group
	stop  chan struct{} // closed on the first write error or on Close, to wake Reserve

	mu       sync.Mutex
	next     int           // seq the next Reserve gets
	head     int           // seq to write next
	pending  map[int][]Row // Done groups waiting for earlier ones
	err      error
	closed   bool
	closeErr error

	// lastRow is the row number of the last row handed to the encoder;
	// flushedRow that of the last one a successful flush or close put on
	// disk: after a write error, rows after it are not in the report.
	lastRow, flushedRow int

	lastFlush time.Time
	dirty     bool        // rows written since the last flush
	timer     *time.Timer // runs timedFlush; made on first use
	timerSet  bool        // timer will fire; cleared only by timedFlush
}

// NewOrdered returns an Ordered writing to enc with at most window groups
// reserved and unwritten (window < 1 counts as 1).
func NewOrdered(enc Encoder, window int) *Ordered {
	if window < 1 {
		window = 1
	}
	return &Ordered{
		enc:     enc,
		slots:   make(chan struct{}, window),
		stop:    make(chan struct{}),
		pending: make(map[int][]Row),
	}
}

// Reserve returns the next sequence number (0, 1, 2, ... in call order),
// waiting while window groups are reserved and unwritten. It returns ctx.Err()
// if ctx ends while waiting, and the write error once writing has failed.
func (o *Ordered) Reserve(ctx context.Context) (int, error) {
	// A free place is taken without the three-way select, which took close
	// to a tenth of a dry run's time.
	select {
	case o.slots <- struct{}{}:
	default:
		select {
		case o.slots <- struct{}{}:
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-o.stop:
			return 0, o.stopErr()
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		<-o.slots
		return 0, o.err
	}
	if o.closed {
		<-o.slots
		return 0, ErrClosed
	}
	seq := o.next
	o.next++
	return seq, nil
}

// Done records the rows of group seq (Ordered keeps the slice until it is
// written: do not change it after the call), then writes every group that is
// ready, in order, and flushes once. It returns the write error, and so does
// every later call.
func (o *Ordered) Done(seq int, rows []Row) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	if o.closed {
		return ErrClosed
	}
	if seq < o.head || seq >= o.next {
		return fmt.Errorf("report: row group %d was not reserved or is already written", seq)
	}
	if seq != o.head {
		// An earlier group is not done yet, so nothing can be written.
		if _, dup := o.pending[seq]; dup {
			return fmt.Errorf("report: row group %d is already done", seq)
		}
		o.pending[seq] = rows
		return nil
	}
	// Group seq is next: it is written at once, then every group done
	// earlier that now follows on.
	for {
		for _, r := range rows {
			if err := o.enc.Write(r); err != nil {
				return o.setErr(err)
			}
			o.lastRow = r.Number
		}
		o.head++
		<-o.slots
		if len(o.pending) == 0 {
			break
		}
		next, ok := o.pending[o.head]
		if !ok {
			break
		}
		delete(o.pending, o.head)
		rows = next
	}
	return o.flushSoon()
}

// flushSoon flushes now, or arranges a timed flush if the last one was less
// than flushEvery ago. It is called with mu held.
func (o *Ordered) flushSoon() error {
	o.dirty = true
	wait := flushEvery - time.Since(o.lastFlush)
	if wait <= 0 {
		return o.flush()
	}
	if !o.timerSet {
		o.timerSet = true
		if o.timer == nil {
			o.timer = time.AfterFunc(wait, o.timedFlush)
		} else {
			o.timer.Reset(wait)
		}
	}
	return nil
}

// flush flushes the encoder. It is called with mu held.
func (o *Ordered) flush() error {
	o.dirty = false
	o.lastFlush = time.Now()
	if err := o.enc.Flush(); err != nil {
		return o.setErr(err)
	}
	o.flushedRow = o.lastRow
	return nil
}

// Flushed returns the number of the last row known to be on disk (0 if
// none): after a write error, the rows after it are missing from the report.
func (o *Ordered) Flushed() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.flushedRow
}

// timedFlush flushes rows a recent flush left in the buffer. A write error
// is kept for the next call to return.
func (o *Ordered) timedFlush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.timerSet = false
	if o.dirty && !o.closed && o.err == nil {
		_ = o.flush()
	}
}

// Close closes the encoder. Every reserved group must be Done first; if one is
// not, the groups from it on are not written and Close returns an
// *UnfinishedError naming it (after still closing the encoder, so the rows
// written so far are kept). A write error, if any, comes first.
func (o *Ordered) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return o.closeErr
	}
	o.halt()
	o.closed = true
	if o.timer != nil {
		o.timer.Stop()
	}
	var unfinished error
	if o.head < o.next {
		unfinished = &UnfinishedError{Seq: o.head, Unwritten: o.next - o.head}
	}
	err := o.enc.Close()
	var kept *KeptError
	if o.err == nil && (err == nil || errors.As(err, &kept)) {
		o.flushedRow = o.lastRow
	}
	switch {
	case o.err != nil:
		o.closeErr = o.err
	case err != nil:
		o.closeErr = err
	default:
		o.closeErr = unfinished
	}
	return o.closeErr
}

// setErr records the first write error and wakes every waiting Reserve.
// It is called with mu held.
func (o *Ordered) setErr(err error) error {
	if o.err == nil {
		o.halt()
		o.err = err
	}
	return o.err
}

// halt wakes every waiting Reserve for good. It is called with mu held,
// before the write error or the close it stops for is recorded: the first of
// them closes stop.
func (o *Ordered) halt() {
	if o.err == nil && !o.closed {
		close(o.stop)
	}
}

// stopErr is what Reserve returns once Ordered has stopped.
func (o *Ordered) stopErr() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	return ErrClosed
}

// SetSummary hands s to the encoder if it shows one (see SummarySetter);
// other encoders ignore it. Call it before Close.
func (o *Ordered) SetSummary(s RunSummary) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if setter, ok := o.enc.(SummarySetter); ok {
		setter.SetSummary(s)
	}
}
