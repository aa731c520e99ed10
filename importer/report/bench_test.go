package report

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkCSVReport writes a million one-row groups through Ordered into a
// CSV file. Each Done finds exactly one ready group, the worst case for
// flushing. Measured on a 2-core machine: a flush per group (one write system
// call each) ran at about 0.42M rows/s, with flushing in half the profile;
// no flush until Close about 1.06M rows/s; flushes at most every flushEvery
// (what Ordered does) about 0.98M rows/s. Rows built by appendCell rather
// than Neutralize and encoding/csv, and Ordered's fast paths: about 2.0M rows/s.
func BenchmarkCSVReport(b *testing.B) {
	const rows = 1_000_000
	cells := []string{"1006-leads", "won", "Acme Corp", "jane@example.com"}
	bodies := make([]string, 16)
	for i := range bodies {
		bodies[i] = `{"status":"won","outcome":"` + strconv.Itoa(i) + `-outcomes"}`
	}
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "r.csv")
		enc, err := Create(path, []string{"Lead", "Status", "Company", "Email"}, false)
		if err != nil {
			b.Fatal(err)
		}
		o := NewOrdered(enc, 64)
		for i := range rows {
			seq, err := o.Reserve(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			row := Row{Number: i + 2, Cells: cells, Result: Succeeded, HTTPStatus: 200, Attempts: 1,
				RequestID: "req-" + strconv.Itoa(i), LeadStatus: "won", Body: bodies[i%len(bodies)], LeadID: "1006-leads"}
			if err := o.Done(seq, []Row{row}); err != nil {
				b.Fatal(err)
			}
		}
		if err := o.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkXLSXReport writes 100,000 rows through Ordered into a workbook:
// the rows kept beside it as JSONL while the run goes, and the workbook
// built at Close.
func BenchmarkXLSXReport(b *testing.B) {
	const rows = 100_000
	cells := []string{"1006-leads", "won", "Acme Corp", "jane@example.com"}
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "r.xlsx")
		enc, err := Create(path, []string{"Lead", "Status", "Company", "Email"}, false)
		if err != nil {
			b.Fatal(err)
		}
		o := NewOrdered(enc, 64)
		for i := range rows {
			seq, err := o.Reserve(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			row := Row{Number: i + 2, Cells: cells, Result: Succeeded, HTTPStatus: 200, Attempts: 1,
				RequestID: "req-" + strconv.Itoa(i), LeadStatus: "won", Body: `{"outcomeId":"1-outcomes"}`, LeadID: "1006-leads"}
			if err := o.Done(seq, []Row{row}); err != nil {
				b.Fatal(err)
			}
		}
		if err := o.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
