package report

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"
)

// recorder is an Encoder that keeps what it is given. It has no lock on
// purpose: Ordered must serialise the calls, and -race checks that it does.
type recorder struct {
	rows    []Row
	flushes int
	closed  bool
	failAt  int        // Write fails once this many rows are written; 0 never
	flushed chan<- int // if set, gets the number of rows at each Flush
}

func (r *recorder) Write(row Row) error {
	if r.failAt > 0 && len(r.rows) >= r.failAt {
		return &WriteError{Err: errDiskFull}
	}
	r.rows = append(r.rows, row)
	return nil
}

func (r *recorder) Flush() error {
	r.flushes++
	if r.flushed != nil {
		r.flushed <- len(r.rows)
	}
	return nil
}
func (r *recorder) Close() error { r.closed = true; return nil }

// group returns the rows of group seq: size rows numbered from seq*size.
func group(seq, size int) []Row {
	rows := make([]Row, size)
	for i := range rows {
		rows[i] = Row{Number: seq*size + i, Result: Succeeded}
	}
	return rows
}

// checkInOrder fails unless rows are numbered 0..n-1 in order.
func checkInOrder(t *testing.T, rows []Row, n int) {
	t.Helper()
	if len(rows) != n {
		t.Fatalf("%d rows written, want %d", len(rows), n)
	}
	for i, r := range rows {
		if r.Number != i {
			t.Fatalf("row %d has number %d: out of order or repeated", i, r.Number)
		}
	}
}

// waitFor fails the test if ch yields nothing in a long time; the limit only
// turns a hang into a failure, it asserts no timing.
func waitFor[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("timed out: blocked call never returned")
	}
	var zero T
	return zero
}

func TestOrderedConcurrent(t *testing.T) {
	tests := []struct {
		name    string
		groups  int
		size    int // rows per group
		window  int
		workers int
	}{
		// Many small groups through a narrow window: Reserve blocks often.
		{"narrow window", 2000, 1, 4, 16},
		// Groups of several rows, wider window.
		{"multi-row groups", 500, 3, 64, 8},
		// Window of one: strictly one group at a time.
		{"window one", 200, 2, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			o := NewOrdered(rec, tt.window)
			seqs := make(chan int)
			var wg sync.WaitGroup
			errs := make(chan error, tt.workers)
			for range tt.workers {
				wg.Go(func() {
					for seq := range seqs {
						// Yield a random number of times so groups finish out of order.
						for range rand.IntN(20) {
							runtime.Gosched()
						}
						if err := o.Done(seq, group(seq, tt.size)); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			for range tt.groups {
				seq, err := o.Reserve(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				seqs <- seq
			}
			close(seqs)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			if err := o.Close(); err != nil {
				t.Fatal(err)
			}
			checkInOrder(t, rec.rows, tt.groups*tt.size)
			if !rec.closed {
				t.Error("encoder not closed")
			}
		})
	}
}

func TestOrderedRandomPermutation(t *testing.T) {
	const n = 1000
	rec := &recorder{}
	o := NewOrdered(rec, n)
	for i := range n {
		if seq, err := o.Reserve(context.Background()); err != nil || seq != i {
			t.Fatalf("Reserve = %d, %v; want %d", seq, err, i)
		}
	}
	var wg sync.WaitGroup
	for _, seq := range rand.Perm(n) {
		wg.Go(func() {
			if err := o.Done(seq, group(seq, 1)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	checkInOrder(t, rec.rows, n)
	if rec.flushes < 1 || rec.flushes > n {
		t.Errorf("%d flushes for %d groups, want between 1 and %d", rec.flushes, n, n)
	}
}

func TestOrderedReserveBlocksAtWindow(t *testing.T) {
	o := NewOrdered(&recorder{}, 2)
	for range 2 {
		if _, err := o.Reserve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// With the window full, only the context can end Reserve.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := o.Reserve(cancelled); !errors.Is(err, context.Canceled) {
		t.Fatalf("Reserve with a full window = %v, want context.Canceled", err)
	}

	got := make(chan int, 1)
	go func() {
		seq, err := o.Reserve(context.Background())
		if err != nil {
			t.Error(err)
		}
		got <- seq
	}()
	// Group 1 done first frees nothing: group 0 still holds its place.
	if err := o.Done(1, group(1, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Reserve(cancelled); !errors.Is(err, context.Canceled) {
		t.Fatalf("Reserve after an out-of-order Done = %v, want context.Canceled", err)
	}
	if err := o.Done(0, group(0, 1)); err != nil {
		t.Fatal(err)
	}
	if seq := waitFor(t, got); seq != 2 {
		t.Errorf("blocked Reserve got seq %d, want 2", seq)
	}
}

func TestOrderedReserveCancelledWhileWaiting(t *testing.T) {
	o := NewOrdered(&recorder{}, 1)
	if _, err := o.Reserve(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := o.Reserve(ctx)
		errc <- err
	}()
	cancel()
	if err := waitFor(t, errc); !errors.Is(err, context.Canceled) {
		t.Errorf("Reserve = %v, want context.Canceled", err)
	}
}

func TestOrderedWriteError(t *testing.T) {
	rec := &recorder{failAt: 2}
	o := NewOrdered(rec, 3)
	for range 3 {
		if _, err := o.Reserve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// A Reserve waiting on the full window is woken by the failure.
	errc := make(chan error, 1)
	go func() {
		_, err := o.Reserve(context.Background())
		errc <- err
	}()
	if err := o.Done(1, group(1, 1)); err != nil {
		t.Fatal(err)
	}
	err := o.Done(0, group(0, 2)) // the second row fails
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("Done = %v, want the write error", err)
	}
	tests := []struct {
		name string
		call func() error
	}{
		// A later Done returns the same error.
		{"Done", func() error { return o.Done(2, group(2, 1)) }},
		// A new Reserve too.
		{"Reserve", func() error { _, err := o.Reserve(context.Background()); return err }},
		// The waiting Reserve.
		{"waiting Reserve", func() error { return waitFor(t, errc) }},
		// And Close.
		{"Close", o.Close},
	}
	for _, tt := range tests {
		if err := tt.call(); !errors.Is(err, errDiskFull) {
			t.Errorf("%s after a write error = %v, want it", tt.name, err)
		}
	}
	if !rec.closed {
		t.Error("encoder not closed")
	}
}

func TestOrderedMisuse(t *testing.T) {
	rec := &recorder{}
	o := NewOrdered(rec, 4)
	for range 3 {
		if _, err := o.Reserve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Done(0, group(0, 1)); err != nil {
		t.Fatal(err)
	}
	if err := o.Done(2, group(2, 1)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		seq  int
	}{
		{"already written", 0}, // group 0 was written
		{"done twice", 2},      // group 2 waits for 1
		{"never reserved", 3},  // beyond the last reserved
		{"negative", -1},       // not a sequence number
	}
	for _, tt := range tests {
		if err := o.Done(tt.seq, nil); err == nil {
			t.Errorf("%s: Done(%d) succeeded, want an error", tt.name, tt.seq)
		}
	}
	// Close with group 1 never done names it; group 2 is lost with it.
	var unfinished *UnfinishedError
	if err := o.Close(); !errors.As(err, &unfinished) || unfinished.Seq != 1 || unfinished.Unwritten != 2 {
		t.Fatalf("Close = %v, want an *UnfinishedError for group 1 with 2 unwritten", err)
	}
	checkInOrder(t, rec.rows, 1) // group 0 only
	if _, err := o.Reserve(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Reserve after Close = %v, want ErrClosed", err)
	}
}

func TestOrderedFlushesEveryBatch(t *testing.T) {
	// Every written row reaches Flush without any further call, even when
	// batches come faster than flushEvery and their flush is left to the timer.
	const groups = 5
	flushed := make(chan int, groups)
	o := NewOrdered(&recorder{flushed: flushed}, groups)
	for range groups {
		if _, err := o.Reserve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	for seq := range groups {
		if err := o.Done(seq, group(seq, 1)); err != nil {
			t.Fatal(err)
		}
	}
	for n := 0; n < groups; {
		n = waitFor(t, flushed)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
}
