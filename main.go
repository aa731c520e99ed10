// Command leadstatus bulk-updates the status of Nutshell CRM leads from a
// CSV, TSV or XLSX file. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/leadstatus/leadstatus/importer/cli"
)

func main() {
	// First interrupt: stop dispatching and finish in-flight requests.
	// Second: cancel in-flight requests too. The report is complete either way.
	stop, stopDispatch := context.WithCancel(context.Background())
	ctx, cancelRequests := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		stopDispatch()
		<-signals
		cancelRequests()
	}()
	err := cli.Run(ctx, stop, os.Args[1:], cli.System())
	os.Exit(cli.ExitCode(err))
}
