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

// Set by release builds (.goreleaser.yaml):
// -ldflags "-X main.version=1.2.0 -X main.commit=<sha> -X main.date=<RFC 3339>".
// Left empty, leadstatus version reads what the Go toolchain recorded.
var version, commit, date string

func main() {
	// First interrupt: stop dispatching and finish in-flight requests.
	// Second: cancel in-flight requests too. The report is complete either way.
	// os.Interrupt is Ctrl-C (and Ctrl-Break in a Windows console); SIGTERM
	// is kill on Unix and closing the console window on Windows.
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
	sys := cli.System()
	sys.Build = cli.ReadBuild(version, commit, date)
	err := cli.Run(ctx, stop, os.Args[1:], sys)
	os.Exit(cli.ExitCode(err))
}
