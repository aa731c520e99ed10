package main

import (
	"fmt"
	"io"

	"github.com/leadstatus/leadstatus/importer/bench"
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
	default:
		fmt.Fprintf(stderr, "usage: benchrun floor-csv IN OUT | benchrun floor-xlsx IN\n")
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "benchrun %s: %v\n", mode, err)
		return 1
	}
	fmt.Fprintln(stdout, rows)
	return 0
}
