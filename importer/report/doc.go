// Package report writes the import report: every input row exactly once, in
// input order, with what happened to it.
package report
