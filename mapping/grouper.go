package mapping

import (
	"math"
	"strconv"

	"github.com/leadstatus/leadstatus/importer/kind"
)

// Grouper turns rows, in input order, into groups: consecutive rows of the
// same lead merge into one Update. It is not safe for concurrent use.
type Grouper struct {
	spec      *Spec
	res       Resolver
	buf       []byte   // scratch for name keys
	unchecked []string // names the current row could not have checked
	numeric   []bool   // the current row's number flags, while it is mapped

	open   *groupBox // the group still taking rows; nil when none
	data   []rowData // what each row of open contributes
	solo   bool      // open is a single row that can never merge
	repeat bool      // open's lead already had a group, whose seen entry is prev
	prev   uint32

	// seen holds, per lead ID number, the first row of the lead's group,
	// with invalidMark set once that group turned out invalid. Keys are
	// integers, not strings, to keep a million leads small.
	seen leadIndex
	// seenUnchecked does the same for lead numbers that could not be
	// resolved (a dry run without credentials), keyed by "<number>".
	seenUnchecked map[string]uint32

	// boxes, products, cells and flags are what is left of the chunks that groups,
	// single products and carried cells are cut from: one allocation per
	// chunk instead of two or three per row, which were a fifth of the
	// mapping's time. A chunk lives until its last group is dropped.
	boxes    []groupBox
	products []productBox
	cells    []string
	flags    []bool
	formats  []string
}

// Chunk sizes: groups, single products, and carried cells (rows times
// carried columns).
const (
	boxChunk  = 64
	cellChunk = 512
)

// invalidMark flags, in a seen entry, a lead whose group was invalid.
const invalidMark = 1 << 31

// groupBox allocates a group, its first row and its update together: most
// groups have one row.
type groupBox struct {
	g     Group
	u     Update
	first [1]GroupRow
}

// productBox holds the product of a group that has one, with its price.
type productBox struct {
	product [1]ProductMap
	price   [1]Price
}

// NewGrouper returns a Grouper mapping rows with spec and resolving names with res.
func NewGrouper(spec *Spec, res Resolver) *Grouper {
	if res == nil {
		res = UncheckedResolver()
	}
	return &Grouper{spec: spec, res: res, seen: newLeadIndex(), seenUnchecked: make(map[string]uint32)}
}

// Add maps one row. number is the spreadsheet row number; cells may be reused
// by the caller once Add returns. Add returns the group this row completes,
// if any: the previous lead's group when this row starts another lead, or
// this row's own group when it can never merge (its lead cannot be
// determined). Groups come out in input order; call Flush at the end.
func (g *Grouper) Add(number int, cells []string) *Group {
	return g.AddNumeric(number, cells, nil)
}

// AddNumeric is Add for input that says which cells are numbers (an XLSX
// row's source.Row.Numeric; nil for none): the row's GroupRow.Numeric
// carries the flags of its carried cells. numeric may be reused by the
// caller once AddNumeric returns.
func (g *Grouper) AddNumeric(number int, cells []string, numeric []bool) *Group {
	return g.AddFormatted(number, cells, numeric, nil)
}

// AddFormatted is AddNumeric for input that also gives each cell's number
// format (an XLSX row's source.Row.Formats; nil for none): the row's
// GroupRow.Formats carries those of its carried cells. formats may be
// reused by the caller once AddFormatted returns.
func (g *Grouper) AddFormatted(number int, cells []string, numeric []bool, formats []string) *Group {
	g.numeric = numeric
	d := g.mapRow(cells)
	g.numeric = nil
	row := GroupRow{Number: number, Cells: g.carry(cells), Numeric: g.carryNumeric(numeric)}
	if formats != nil {
		// Formats are rare: a row's are cut from a chunk only when it has some.
		row.Formats = takeCarried(&g.formats, g.spec.carried, formats)
	}
	if d.leadKnown && g.open != nil && !g.solo && sameLead(&g.data[0], &d) {
		g.open.g.Rows = append(g.open.g.Rows, row)
		g.data = append(g.data, d)
		return nil
	}
	done := g.Flush()
	if !d.leadKnown {
		row.Err = d.err
		if row.Err == nil {
			row.Err = &RowError{Kind: kind.EmptyLead, Reason: "the row's lead cannot be determined"}
		}
		b := g.newBox(row)
		if done == nil {
			return &b.g
		}
		// Two groups end here; hand out the earlier and keep this one for the next call.
		g.open, g.solo = b, true
		return done
	}
	g.start(number, row, d)
	return done
}

// Flush returns the last open group, if any. Call it at the end of input.
func (g *Grouper) Flush() *Group {
	b := g.open
	if b == nil {
		return nil
	}
	g.open = nil
	if g.solo {
		g.solo = false
		return &b.g
	}
	g.finish(b)
	// Drop references to the finished rows, except the first, which start
	// overwrites at once: clearing it first cost a twentieth of the mapping.
	clear(g.data[1:])
	g.data = g.data[:0]
	return &b.g
}

func (g *Grouper) newBox(row GroupRow) *groupBox {
	if len(g.boxes) == 0 {
		g.boxes = make([]groupBox, boxChunk)
	}
	b := &g.boxes[0]
	g.boxes = g.boxes[1:]
	b.first[0] = row
	b.g.Rows = b.first[:1:1]
	return b
}

// carry copies the carried cells of a row into the current chunk of g.cells,
// with "" where the row is short.
func (g *Grouper) carry(cells []string) []string {
	return takeCarried(&g.cells, g.spec.carried, cells)
}

// carryNumeric is carry for the number flags; nil stays nil.
func (g *Grouper) carryNumeric(numeric []bool) []bool {
	if numeric == nil {
		return nil
	}
	return takeCarried(&g.flags, g.spec.carried, numeric)
}

// takeCarried copies row[i] for each i in carried (the zero value where row
// is short) into the next len(carried) values of *chunk, starting a new chunk
// when it has too few. The result's capacity is its length, so an append to
// it cannot reach the next row's values.
func takeCarried[T any](chunk *[]T, carried []int, row []T) []T {
	n := len(carried)
	if n > len(*chunk) {
		*chunk = make([]T, max(cellChunk, n))
	}
	out := (*chunk)[:n:n]
	*chunk = (*chunk)[n:]
	for j, i := range carried {
		if i < len(row) {
			out[j] = row[i]
		}
	}
	return out
}

func (g *Grouper) start(number int, row GroupRow, d rowData) {
	g.open = g.newBox(row)
	g.data = append(g.data[:0], d)
	mark := uint32(math.MaxInt32)
	if number >= 0 && number < math.MaxInt32 {
		mark = uint32(number)
	}
	var seen bool
	if d.key != 0 {
		if g.prev, seen = g.seen.get(d.key); !seen {
			g.seen.set(d.key, mark)
		}
	} else {
		if g.prev, seen = g.seenUnchecked[d.lead]; !seen {
			g.seenUnchecked[d.lead] = mark
		}
	}
	g.repeat = seen
}

// finish decides a complete group: its update, or every row's error.
func (g *Grouper) finish(b *groupBox) {
	rows, data := b.g.Rows, g.data
	lead := data[0].lead
	if g.repeat {
		reason := "lead " + lead + " was already updated from row " + strconv.Itoa(int(g.prev&^invalidMark)) + "; put all rows of a lead together"
		if g.prev&invalidMark != 0 {
			reason = "lead " + lead + " already appeared in row " + strconv.Itoa(int(g.prev&^invalidMark)) + ", which is invalid; put all rows of a lead together"
		}
		for i := range rows {
			rows[i].Err = data[i].err
			if rows[i].Err == nil {
				rows[i].Err = &RowError{Kind: kind.LeadRepeated, Column: g.spec.colName[data[i].leadField], Value: data[i].leadCell, Reason: reason}
			}
		}
		return
	}
	if g.invalid(rows, data) || g.conflict(rows, data, lead) {
		if k := data[0].key; k != 0 {
			v, _ := g.seen.get(k)
			g.seen.set(k, v|invalidMark)
		} else {
			g.seenUnchecked[lead] |= invalidMark
		}
		return
	}
	u := &b.u
	u.Lead = lead
	products := 0
	for i := range data {
		d := &data[i]
		rows[i].Note = d.note
		switch {
		case d.reopen:
			u.Action = ActionReopen
		case d.outcome != "" && u.Body.OutcomeID == "":
			u.Body.OutcomeID, u.OutcomeStatus = d.outcome, d.outcomeStatus
		}
		if len(d.comps) > 0 && u.Body.CompetitorMaps == nil {
			u.Body.CompetitorMaps = d.comps
		}
		if d.hasProduct {
			products++
		}
	}
	if products > 0 {
		u.Body.ProductMaps = g.productMaps(data, products)
	}
	b.g.Update = u
}

// productMaps collects the rows' products in row order. A single product
// is cut from a chunk, like the group.
func (g *Grouper) productMaps(data []rowData, n int) []ProductMap {
	var maps []ProductMap
	var prices []Price
	if n == 1 {
		if len(g.products) == 0 {
			g.products = make([]productBox, boxChunk)
		}
		p := &g.products[0]
		g.products = g.products[1:]
		maps, prices = p.product[:0:1], p.price[:0:1]
	} else {
		maps, prices = make([]ProductMap, 0, n), make([]Price, 0, n)
	}
	for i := range data {
		d := &data[i]
		if !d.hasProduct {
			continue
		}
		pm := d.product
		if d.hasPrice {
			prices = append(prices, d.price)
			pm.Price = &prices[len(prices)-1]
		}
		maps = append(maps, pm)
	}
	return maps
}

// invalid gives every row of a group its error when any row is invalid by
// itself: a partial update is never sent.
func (g *Grouper) invalid(rows []GroupRow, data []rowData) bool {
	first := -1
	for i := range data {
		if data[i].err != nil {
			rows[i].Err = data[i].err
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return false
	}
	reason := "not sent: row " + strconv.Itoa(rows[first].Number) + " of the same lead is invalid"
	for i := range rows {
		if rows[i].Err == nil {
			rows[i].Err = &RowError{Kind: kind.SameLeadInvalid, Reason: reason}
		}
	}
	return true
}

func sameLead(a, b *rowData) bool {
	if a.key != 0 || b.key != 0 {
		return a.key == b.key
	}
	return a.lead == b.lead
}
