package importer

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/leadstatus/leadstatus/importer/bench"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
)

// benchFake serves a fake API for a benchmark and returns a client for it.
func benchFake(tb testing.TB, o fake.Options) *nutshell.Client {
	tb.Helper()
	o.Username, o.APIKey, o.NoRecord = bench.User, bench.APIKey, true
	ts := httptest.NewServer(fake.New(o))
	tb.Cleanup(ts.Close)
	c, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: bench.User, APIKey: bench.APIKey, Timeout: 10 * time.Second})
	if err != nil {
		tb.Fatalf("nutshell.New: %v", err)
	}
	return c
}

// benchInput writes n generated rows (outcome names, some products, free
// text) to a CSV in dir.
func benchInput(tb testing.TB, dir string, n int) string {
	tb.Helper()
	path := filepath.Join(dir, "leads-"+strconv.Itoa(n)+".csv")
	if err := bench.WriteCSV(path, n); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkDryRunCSV measures the local cost of a dry run (read, map,
// validate, encode, write the report) of a 100,000-row CSV whose outcome
// names resolve against the fake's outcomes list, as with --mock.
func BenchmarkDryRunCSV(b *testing.B) {
	const rows = 100_000
	dir := b.TempDir()
	input := benchInput(b, dir, rows)
	client := benchFake(b, fake.Options{Leads: rows})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sum, err := Run(context.Background(), Options{
			Input:      input,
			ReportPath: filepath.Join(dir, "report.csv"),
			Force:      true,
			DryRun:     true,
			Client:     client,
			Log:        zerolog.Nop(),
		})
		if err != nil {
			b.Fatal(err)
		}
		if got := sum.Counts[report.DryRun]; got != rows {
			b.Fatalf("%d of %d rows dry-run: %v", got, rows, sum.Counts)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkDryRunXLSX is BenchmarkDryRunCSV for the workbook the bench
// suite generates (bench.WriteXLSX), with excelize's bare row iteration over
// the same file beside it (FloorXLSX): the dry run's rows/s over the floor's
// is the share the bench table reports: over 2 (target ≥ 0.8), as the
// reader scans the sheet's XML itself instead of iterating with excelize.
// Where a dry run's CPU goes (profile of this benchmark): the one pass over
// the sheet 50% (its decompression 9%), the report 11%, mapping 10%, opening
// 8% (nearly all of it the zip check, which inflates every part once), the
// pipeline's hand-offs 7%, GC 6%.
func BenchmarkDryRunXLSX(b *testing.B) {
	const rows = 100_000
	dir := b.TempDir()
	input := filepath.Join(dir, "leads.xlsx")
	if err := bench.WriteXLSX(input, rows); err != nil {
		b.Fatal(err)
	}
	client := benchFake(b, fake.Options{Leads: rows})
	b.Run("dry-run", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sum, err := Run(context.Background(), Options{Input: input, ReportPath: filepath.Join(dir, "report.csv"), Force: true, DryRun: true, Client: client, Log: zerolog.Nop()})
			if err != nil {
				b.Fatal(err)
			}
			if got := sum.Counts[report.DryRun]; got != rows {
				b.Fatalf("%d of %d rows dry-run: %v", got, rows, sum.Counts)
			}
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("floor", func(b *testing.B) {
		for b.Loop() {
			if n, err := bench.FloorXLSX(input); err != nil || n != rows {
				b.Fatalf("floor read %d rows: %v", n, err)
			}
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkSendFake measures updates sent through the whole pipeline (batched
// reads, paced worker pool, ordered report) to a fake API with no latency
// and no limit: what the tool itself costs per request.
func BenchmarkSendFake(b *testing.B) {
	const rows = 2000
	dir := b.TempDir()
	input := benchInput(b, dir, rows)
	b.ReportAllocs()
	requests := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A fresh fake each time, so every run closes open leads.
		b.StopTimer()
		client := benchFake(b, fake.Options{Leads: rows})
		b.StartTimer()
		sum, err := Run(context.Background(), Options{
			Input:      input,
			ReportPath: filepath.Join(dir, "report.csv"),
			Force:      true,
			Client:     client,
			Workers:    DefaultWorkers,
			Rate:       1e6,
			StartRate:  1e6,
			Log:        zerolog.Nop(),
		})
		if err != nil {
			b.Fatal(err)
		}
		if got := sum.Counts[report.Succeeded]; got != rows {
			b.Fatalf("%d of %d rows succeeded: %v", got, rows, sum.Counts)
		}
		requests += sum.Requests
	}
	b.ReportMetric(float64(requests)/b.Elapsed().Seconds(), "req/s")
}
