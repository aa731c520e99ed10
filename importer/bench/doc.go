// Package bench measures what leadstatus costs beside the work any importer
// must do and beside the API it waits for: it generates realistic input
// files, runs the bare-I/O floor they are compared with, measures child
// processes (wall time, CPU time, peak RSS), reads the fake API's request
// record for achieved rates, and renders the results as one markdown table.
//
// The suite itself is run by run.sh, which drives cmd/benchrun.
package bench
