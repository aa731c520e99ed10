// Package source streams rows from CSV, TSV, text and XLSX files without
// holding the whole file in memory.
package source
