//go:build !windows

package cli

import "os"

// enableANSI reports whether the terminal f writes to shows ANSI colours:
// every terminal outside Windows does, bar one that says it is dumb.
func enableANSI(*os.File) bool { return os.Getenv("TERM") != "dumb" }

// ownConsoleWindow: only Windows gives a double-clicked program a window of its own.
func ownConsoleWindow() bool { return false }
