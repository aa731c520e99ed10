// Package nutshell is a small client for the parts of Nutshell's REST API that
// a status importer needs. It is the only package that knows HTTP; it knows
// nothing of rows or reports.
package nutshell
