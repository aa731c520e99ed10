package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// floorMain runs a floor as a child process, so its peak RSS is measured
// the same way as leadstatus's. It prints the number of data rows read.
func floorMain(mode string, args []string, stdout, stderr io.Writer) int {
	var rows int
	var err error
	switch {
	case mode == "floor-csv" && len(args) == 2:
		rows, err = bench.FloorCSV(args[0], args[1])
	case mode == "floor-xlsx" && len(args) == 1:
		rows, err = bench.FloorXLSX(args[0])
	case mode == "floor-pool" && len(args) == 3:
		rows, err = floorPool(args[0], args[1], args[2])
	default:
		fmt.Fprintf(stderr, "usage: benchrun floor-csv IN OUT | benchrun floor-xlsx IN | benchrun floor-pool URL UPDATES WORKERS\n")
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "benchrun %s: %v\n", mode, err)
		return 1
	}
	fmt.Fprintln(stdout, rows)
	return 0
}

// floorPool sends updates status updates to the fake at url from workers
// goroutines with the nutshell client and nothing else: no pacer, no
// pipeline, no report. Beside leadstatus's row (b) it shows what the
// machine, the loopback and the fake allow, so that what the pool itself
// costs is told apart. It returns the updates that succeeded.
func floorPool(url, updates, workers string) (int, error) {
	n, err := strconv.Atoi(updates)
	if err != nil {
		return 0, fmt.Errorf("updates %q: %w", updates, err)
	}
	w, err := strconv.Atoi(workers)
	if err != nil {
		return 0, fmt.Errorf("workers %q: %w", workers, err)
	}
	c, err := nutshell.New(nutshell.Config{BaseURL: url, Username: bench.User, APIKey: bench.APIKey})
	if err != nil {
		return 0, err
	}
	var next, ok atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range w {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				l := bench.LeadAt(int(i))
				if _, err := c.UpdateStatus(context.Background(), l.APIID(), []byte(l.Body())); err != nil {
					once.Do(func() { first = err })
					continue
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	if first != nil {
		return int(ok.Load()), fmt.Errorf("%d of %d updates failed, the first: %w", n-int(ok.Load()), n, first)
	}
	return int(ok.Load()), nil
}
