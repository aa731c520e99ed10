package mapping

import (
	"runtime"
	"strconv"
	"testing"
)

// benchLeads is the number of leads in the benchmark's input; each has two
// rows, so the file has about a million rows.
const benchLeads = 1 << 19

// benchFeed calls add for each row of a generated file, in one reused cell
// slice as a reader does: per lead, a row with an outcome and a priced
// product, then a row with a second product.
func benchFeed(leads []string, add func(number int, cells []string)) {
	cells := make([]string, 7)
	for i, lead := range leads {
		cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6] = lead, "Won", "3-products", "2", "1,234.50", "USD", "first"
		add(2*i+2, cells)
		cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6] = lead, "", "Widget", "1", "99.00", "", "second"
		add(2*i+3, cells)
	}
}

// BenchmarkGrouper maps a million rows (half a million leads) against a
// catalogue. It reports time and allocations per row, and the memory the
// Grouper keeps per lead to recognise a lead that comes back.
func BenchmarkGrouper(b *testing.B) {
	spec, err := NewSpec([]string{"Lead ID", "Outcome", "Product", "Quantity", "Price", "Currency", "Note"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	res := testAccount()
	leads := make([]string, benchLeads)
	for i := range leads {
		leads[i] = strconv.Itoa(1000 + i)
	}
	const rows = 2 * benchLeads
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		g := NewGrouper(spec, res)
		benchFeed(leads, func(n int, cells []string) { g.Add(n, cells) })
		g.Flush()
	}
	runtime.ReadMemStats(&after)
	total := float64(b.N) * rows
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/row")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/row")

	b.ReportMetric(retainedPerLead(spec, res, leads), "B/lead")
}

// retainedPerLead maps the file once and returns the heap the Grouper still
// holds per lead once its groups are gone: the index of leads already seen.
// It runs in its own frame so nothing from the timed loop is still reachable.
func retainedPerLead(spec *Spec, res Resolver, leads []string) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	g := NewGrouper(spec, res)
	benchFeed(leads, func(n int, cells []string) { g.Add(n, cells) })
	g.Flush()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(g)
	runtime.KeepAlive(leads) // counted in before: it must still be there after
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(len(leads))
}

// BenchmarkGrouperOneRowLeads maps rows shaped like the generated dry-run
// input: one row per lead, outcome names, a priced product (by ID) in a
// quarter of the rows and free text carried along. Every group has one row,
// the commonest case.
func BenchmarkGrouperOneRowLeads(b *testing.B) {
	header := []string{"Lead ID", "Deal Name", "Owner", "Outcome", "Product", "Quantity", "Price", "Currency", "Notes"}
	spec, err := NewSpec(header, nil)
	if err != nil {
		b.Fatal(err)
	}
	res := testAccount()
	const rows = 1 << 16
	input := make([][]string, rows)
	outcomes := []string{"Won", "Lost", "Cancelled", "Won"}
	for i := range input {
		c := []string{strconv.Itoa(1000 + i), "Q4 renewal " + strconv.Itoa(i) + " - Acme, Inc.", "Sam Patel", outcomes[i%4], "", "", "", "", "Signed after the second demo"}
		if i%4 == 3 {
			c[4], c[5], c[6], c[7] = "3-products", "2", "1,250.50", "USD"
		}
		input[i] = c
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		g := NewGrouper(spec, res)
		for i, cells := range input {
			g.Add(i+2, cells)
		}
		g.Flush()
	}
	runtime.ReadMemStats(&after)
	total := float64(b.N) * rows
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/row")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/row")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/total, "B/row")
}
