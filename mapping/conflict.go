package mapping

import (
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/importer/kind"
)

// conflict checks that the rows of a lead agree: one outcome, one list of
// competitor maps, and no reopen next to maps. When they do not, every row
// of the lead gets an error saying which rows conflict.
func (g *Grouper) conflict(rows []GroupRow, data []rowData, lead string) bool {
	if len(data) < 2 {
		// One row cannot disagree with itself; a reopen with maps in the
		// same row is invalid before it gets here.
		return false
	}
	return g.outcomeConflict(rows, data, lead) || g.competitorConflict(rows, data, lead) || g.reopenConflict(rows, data, lead) || g.repeatedProduct(rows, data, lead)
}

// repeatedProduct refuses a lead two of whose rows ask for the same product
// map (product, quantity, price and currency): Nutshell would put the product
// on the lead twice, which a repeated row rarely means.
func (g *Grouper) repeatedProduct(rows []GroupRow, data []rowData, lead string) bool {
	for b := range data {
		if !data[b].hasProduct {
			continue
		}
		for a := range b {
			if !data[a].hasProduct || !sameProductMap(&data[a], &data[b]) {
				continue
			}
			qty := 2 * max(data[b].product.Quantity, 1)
			reason := "row " + strconv.Itoa(rows[b].Number) + " repeats the product of row " + strconv.Itoa(rows[a].Number) + " for lead " + lead + "; delete one, or put quantity " + strconv.Itoa(qty) + " on one row if both are meant"
			for i := range rows {
				rows[i].Err = &RowError{Kind: kind.RepeatedProduct, Reason: reason}
			}
			return true
		}
	}
	return false
}

// sameProductMap reports whether two rows ask for the same product map.
// Products not checked against Nutshell ("<Widget>") compare as names.
func sameProductMap(x, y *rowData) bool {
	px, py := x.product.Links.Product, y.product.Links.Product
	if strings.HasPrefix(px, "<") || strings.HasPrefix(py, "<") {
		px, py = nameKey(px), nameKey(py)
	}
	return px == py && x.product.Quantity == y.product.Quantity &&
		x.hasPrice == y.hasPrice && x.price == y.price
}

func (g *Grouper) outcomeConflict(rows []GroupRow, data []rowData, lead string) bool {
	a, b := firstDisagreement(data, func(d *rowData) bool { return d.outcomeKey != "" }, func(x, y *rowData) bool { return x.outcomeKey == y.outcomeKey })
	if b < 0 {
		return false
	}
	col := g.label(fOutcome)
	for i := range rows {
		d := &data[i]
		switch {
		case d.outcomeKey == "":
			rows[i].Err = &RowError{Kind: kind.ConflictingRows, Reason: "not sent: rows " + strconv.Itoa(rows[a].Number) + " and " + strconv.Itoa(rows[b].Number) + " of lead " + lead + " give different outcomes"}
		case d.outcomeKey == data[a].outcomeKey:
			rows[i].Err = &RowError{Kind: kind.ConflictingRows, Column: col, Value: d.outcomeText, Reason: "outcome " + strconv.Quote(d.outcomeText) + " conflicts with " + strconv.Quote(data[b].outcomeText) + " in row " + strconv.Itoa(rows[b].Number) + " for lead " + lead + "; give one outcome per lead"}
		default:
			rows[i].Err = &RowError{Kind: kind.ConflictingRows, Column: col, Value: d.outcomeText, Reason: "outcome " + strconv.Quote(d.outcomeText) + " conflicts with " + strconv.Quote(data[a].outcomeText) + " in row " + strconv.Itoa(rows[a].Number) + " for lead " + lead + "; give one outcome per lead"}
		}
	}
	return true
}

func (g *Grouper) competitorConflict(rows []GroupRow, data []rowData, lead string) bool {
	a, b := firstDisagreement(data, func(d *rowData) bool { return len(d.comps) > 0 }, func(x, y *rowData) bool { return sameSet(x.comps, y.comps) })
	if b < 0 {
		return false
	}
	col := g.label(fCompetitorMaps)
	for i := range rows {
		d := &data[i]
		other := a
		if len(d.comps) > 0 && sameSet(d.comps, data[a].comps) {
			other = b
		}
		if len(d.comps) == 0 {
			rows[i].Err = &RowError{Kind: kind.ConflictingRows, Reason: "not sent: rows " + strconv.Itoa(rows[a].Number) + " and " + strconv.Itoa(rows[b].Number) + " of lead " + lead + " give different competitor maps"}
			continue
		}
		rows[i].Err = &RowError{Kind: kind.ConflictingRows, Column: col, Value: d.compsText, Reason: "competitor maps " + strconv.Quote(d.compsText) + " conflict with " + strconv.Quote(data[other].compsText) + " in row " + strconv.Itoa(rows[other].Number) + " for lead " + lead + "; give the same list on every row of a lead, or on one row only"}
	}
	return true
}

func (g *Grouper) reopenConflict(rows []GroupRow, data []rowData, lead string) bool {
	r, m := -1, -1
	for i := range data {
		if data[i].reopen && r < 0 {
			r = i
		}
		if (data[i].hasProduct || len(data[i].comps) > 0) && m < 0 {
			m = i
		}
	}
	if r < 0 || m < 0 {
		return false
	}
	for i := range rows {
		d := &data[i]
		switch {
		case d.reopen:
			rows[i].Err = &RowError{Kind: kind.ReopenWithMaps, Column: g.label(fOutcome), Value: d.outcomeText, Reason: strconv.Quote(d.outcomeText) + " cannot be combined with the competitor maps or product in row " + strconv.Itoa(rows[m].Number) + " for lead " + lead + "; reopen the lead in a separate run"}
		case d.hasProduct:
			rows[i].Err = &RowError{Kind: kind.ReopenWithMaps, Column: g.label(fProduct), Value: d.product.Links.Product, Reason: "a product cannot be combined with " + strconv.Quote(data[r].outcomeText) + " in row " + strconv.Itoa(rows[r].Number) + " for lead " + lead + "; reopen the lead in a separate run"}
		case len(d.comps) > 0:
			rows[i].Err = &RowError{Kind: kind.ReopenWithMaps, Column: g.label(fCompetitorMaps), Value: d.compsText, Reason: "competitor maps cannot be combined with " + strconv.Quote(data[r].outcomeText) + " in row " + strconv.Itoa(rows[r].Number) + " for lead " + lead + "; reopen the lead in a separate run"}
		default:
			rows[i].Err = &RowError{Kind: kind.ReopenWithMaps, Reason: "not sent: row " + strconv.Itoa(rows[r].Number) + " reopens lead " + lead + " while row " + strconv.Itoa(rows[m].Number) + " sets its maps"}
		}
	}
	return true
}

// firstDisagreement returns the first row that gives a value (a) and the
// first later row whose value differs from it (b), or b = -1.
func firstDisagreement(data []rowData, gives func(*rowData) bool, same func(x, y *rowData) bool) (a, b int) {
	a = -1
	for i := range data {
		if !gives(&data[i]) {
			continue
		}
		if a < 0 {
			a = i
		} else if !same(&data[a], &data[i]) {
			return a, i
		}
	}
	return a, -1
}

// label is the column a field's group-level error names.
func (g *Grouper) label(f field) string {
	if c := g.spec.colName[f]; c != "" {
		return c
	}
	return f.String() + " (mapping file default)"
}

// sameSet reports whether two lists without duplicates hold the same items.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}
