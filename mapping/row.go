package mapping

import (
	"errors"
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/importer/kind"
)

// rowData is what one row contributes to its lead's update.
type rowData struct {
	leadKnown bool   // the row's lead is determined; it may merge with its neighbours
	key       uint64 // the lead's ID number; 0 for a lead number that could not be checked
	lead      string // "1006-leads", or "<1001>" for an unchecked lead number
	leadCell  string // the cell the lead came from, for messages
	leadField field  // fLead or fLeadNumber: the column the lead came from
	err       *RowError
	note      string

	outcome       string // outcome ID, "<name>" when unchecked, "" for none
	outcomeKey    string // compares outcomes across rows
	outcomeText   string // as the user wrote it (after values), for messages
	outcomeStatus string
	reopen        bool

	comps     []string // competitor map IDs, in order, without duplicates
	compsText string

	product    ProductMap // Price is set when the group's update is built
	price      Price
	hasPrice   bool
	hasProduct bool
}

// mapRow maps the cells of one row. Once the row is invalid, the remaining
// columns are not examined, so no resolver call is wasted on it.
func (g *Grouper) mapRow(cells []string) rowData {
	s := g.spec
	var d rowData
	g.unchecked = g.unchecked[:0]
	if s.skips && g.skip(cells, &d) {
		return d
	}
	if len(cells) < s.width {
		d.err = &RowError{Kind: kind.RaggedRow, Reason: "row has " + strconv.Itoa(len(cells)) + " cells but the header has " + strconv.Itoa(s.width) + "; check for a missing delimiter or an unquoted line break"}
	} else if len(cells) > s.width && !allEmpty(cells[s.width:]) {
		d.err = &RowError{Kind: kind.RaggedRow, Reason: "row has " + strconv.Itoa(len(cells)) + " cells but the header has " + strconv.Itoa(s.width) + " and the extra cells are not empty; check for a delimiter inside a value that is not quoted"}
	}
	g.mapLead(cells, &d)
	if d.err != nil {
		return d
	}
	g.mapOutcome(cells, &d)
	if d.err == nil {
		g.mapCompetitors(cells, &d)
	}
	if d.err == nil {
		g.mapProduct(cells, &d)
	}
	if d.err != nil {
		return d
	}
	switch {
	case d.reopen && (d.hasProduct || len(d.comps) > 0):
		d.err = g.cellError(cells, fOutcome, kind.ReopenWithMaps, strconv.Quote(d.outcomeText)+" cannot be combined with competitor maps or a product; reopen the lead in a separate run")
	case d.outcome == "" && !d.reopen && len(d.comps) == 0 && !d.hasProduct:
		d.err = &RowError{Kind: kind.NothingToSend, Reason: "nothing to send: the row has no outcome, competitor maps or product"}
	}
	if d.err == nil && len(g.unchecked) > 0 {
		d.note = joinNote(d.note, "not checked against Nutshell in this run: "+strings.Join(g.unchecked, ", "))
	}
	return d
}

// skip reports whether a cell of the row maps to skip under values:, and
// says so in d.err. Such a row is left alone before anything is looked up.
func (g *Grouper) skip(cells []string, d *rowData) bool {
	s := g.spec
	for f := range s.values {
		i := s.col[f]
		if i < 0 || i >= len(cells) || s.values[f] == nil {
			continue
		}
		v := strings.TrimSpace(cells[i])
		if v == "" || !strings.EqualFold(g.lookup(field(f), v), SkipValue) {
			continue
		}
		d.err = &RowError{Kind: kind.SkippedByValue, Column: s.colName[f], Value: cells[i], Reason: s.colName[f] + " " + strconv.Quote(v) + " is mapped to skip"}
		return true
	}
	return false
}

// mapLead determines the row's lead from the lead column, the lead_number
// column, or both (which must then agree).
func (g *Grouper) mapLead(cells []string, d *rowData) {
	v, _ := g.value(cells, fLead)
	n, rk, reason := parseRef(v, entLead)
	switch rk {
	case refID:
		d.leadKnown, d.key, d.leadCell, d.leadField = true, n, v, fLead
		if g.open != nil && !g.solo && g.data[0].key == n {
			d.lead = g.data[0].lead // the open group's: no new string for a row that merges
		} else {
			d.lead = formatID(v, n, entLead)
		}
	case refName:
		g.fail(d, cells, fLead, kind.BadLeadID, strconv.Quote(v)+" is not a lead ID; write it like 1006 or 1006-leads (lead numbers go in a lead_number column)")
		return
	case refBad:
		g.fail(d, cells, fLead, kind.BadLeadID, reason)
		return
	}
	if d.err != nil {
		return // a ragged row: no lookup for a row that cannot be sent
	}
	num, _ := g.value(cells, fLeadNumber)
	if num == "" {
		if !d.leadKnown {
			if g.spec.col[fLead] >= 0 {
				g.fail(d, cells, fLead, kind.EmptyLead, "the lead ID is empty; fill it in or remove the row")
			} else {
				g.fail(d, cells, fLeadNumber, kind.EmptyLead, "the lead number is empty; fill it in or remove the row")
			}
		}
		return
	}
	if n, rk, _ := parseRef(num, entLead); rk == refID && !allDigits(num) && !strings.Contains(num, "-") {
		num = strconv.FormatUint(n, 10) // "1001.0" from a numeric XLSX cell
	} else if isScientific(num) {
		g.fail(d, cells, fLeadNumber, kind.BadLeadNumber, strconv.Quote(num)+" is a number Excel shortened to scientific notation; format the column as Number with 0 decimals or as Text and export the file again")
		return
	}
	id, err := g.res.LeadByNumber(num)
	if errors.Is(err, ErrUnchecked) {
		g.unchecked = append(g.unchecked, "lead number "+strconv.Quote(num))
		if !d.leadKnown {
			d.leadKnown, d.lead = true, "<"+num+">"
			d.leadCell, d.leadField = num, fLeadNumber
		}
		return
	}
	if err != nil {
		g.failErr(d, cells, fLeadNumber, err)
		return
	}
	n, rk, _ = parseRef(strings.TrimSpace(id), entLead)
	switch {
	case rk != refID:
		g.fail(d, cells, fLeadNumber, kind.LookupFailed, "lead number "+num+" was resolved to "+strconv.Quote(id)+", which is not a lead ID")
	case d.leadKnown && n != d.key:
		g.fail(d, cells, fLeadNumber, kind.LeadMismatch, "lead number "+num+" is lead "+formatID(id, n, entLead)+", but the lead column says "+d.lead+"; correct one of them")
	case !d.leadKnown:
		d.leadKnown, d.key, d.lead = true, n, formatID(id, n, entLead)
		d.leadCell, d.leadField = num, fLeadNumber
	}
}

func (g *Grouper) mapOutcome(cells []string, d *rowData) {
	v, _ := g.value(cells, fOutcome)
	if v == "" {
		return
	}
	d.outcomeText = v
	if strings.EqualFold(v, "reopen") || strings.EqualFold(v, "open") {
		d.reopen, d.outcomeKey = true, "reopen"
		return
	}
	ref, reason, ok := nameOrID(v, entOutcome)
	if !ok {
		g.fail(d, cells, fOutcome, kind.BadOutcome, reason)
		return
	}
	o, err := g.res.Outcome(ref)
	switch {
	case errors.Is(err, ErrUnchecked):
		g.unchecked = append(g.unchecked, "outcome "+strconv.Quote(v))
		d.outcome = "<" + v + ">"
		d.outcomeKey = "<" + nameKey(v) + ">"
	case err != nil:
		g.failErr(d, cells, fOutcome, err)
	case o.ID == "":
		g.fail(d, cells, fOutcome, kind.LookupFailed, "outcome "+strconv.Quote(v)+" resolved to no ID")
	default:
		d.outcome, d.outcomeKey, d.outcomeStatus = o.ID, o.ID, o.Status
	}
}

func (g *Grouper) mapCompetitors(cells []string, d *rowData) {
	v, _ := g.value(cells, fCompetitorMaps)
	if v == "" {
		return
	}
	d.compsText = v
	for rest := v; rest != ""; {
		var item string
		item, rest, _ = strings.Cut(rest, g.spec.sep)
		item = g.lookup(fCompetitorMaps, strings.TrimSpace(item))
		if item == "" {
			continue
		}
		ref, reason, ok := nameOrID(item, entCompetitorMap)
		if id, why, isCompetitor := competitorID(item); isCompetitor {
			ref, reason, ok = id, why, why == "" // the resolver finds the lead's map for it
		}
		if !ok {
			g.fail(d, cells, fCompetitorMaps, kind.BadCompetitor, reason)
			return
		}
		id, err := g.res.CompetitorMap(d.lead, ref)
		switch {
		case errors.Is(err, ErrUnchecked):
			g.unchecked = append(g.unchecked, "competitor "+strconv.Quote(item))
			id = "<" + item + ">"
		case err != nil:
			g.failErr(d, cells, fCompetitorMaps, err)
			return
		case id == "":
			g.fail(d, cells, fCompetitorMaps, kind.LookupFailed, "competitor "+strconv.Quote(item)+" resolved to no ID")
			return
		}
		if !contains(d.comps, id) {
			d.comps = append(d.comps, id)
		}
	}
}

func (g *Grouper) mapProduct(cells []string, d *rowData) {
	prod, _ := g.value(cells, fProduct)
	qty, qtyCell := g.value(cells, fQuantity)
	amount, amountCell := g.value(cells, fPrice)
	cur, curCell := g.value(cells, fCurrency)
	if prod == "" {
		if curCell && !amountCell && !qtyCell {
			// A currency with nothing to price, as exports put on every
			// row, changes nothing: it is not what a row needs fixing for.
			d.note = "currency " + strconv.Quote(cur) + " ignored: the row has no product or price"
			return
		}
		// Defaults apply to every row, so only a cell of its own makes a row invalid.
		for _, c := range [...]struct {
			f        field
			fromCell bool
		}{{fQuantity, qtyCell}, {fPrice, amountCell}, {fCurrency, curCell}} {
			if c.fromCell {
				f := c.f
				g.fail(d, cells, f, kind.NeedsProduct, "a "+f.String()+" needs a product in the same row; fill in the product or clear the "+f.String())
				return
			}
		}
		return
	}
	ref, reason, ok := nameOrID(prod, entProduct)
	if !ok {
		g.fail(d, cells, fProduct, kind.BadProduct, reason)
		return
	}
	id, err := g.res.Product(ref)
	switch {
	case errors.Is(err, ErrUnchecked):
		g.unchecked = append(g.unchecked, "product "+strconv.Quote(prod))
		id = "<" + prod + ">"
	case err != nil:
		g.failErr(d, cells, fProduct, err)
		return
	case id == "":
		g.fail(d, cells, fProduct, kind.LookupFailed, "product "+strconv.Quote(prod)+" resolved to no ID")
		return
	}
	pm := ProductMap{ProductType: "product", Links: ProductLinks{Product: id}}
	if qty != "" {
		q, reason := parseQuantity(qty, g.decimalComma(fQuantity, qtyCell))
		if reason != "" {
			g.fail(d, cells, fQuantity, kind.BadQuantity, reason)
			return
		}
		pm.Quantity = q
	}
	if cur != "" {
		c, ok := parseCurrency(cur)
		if !ok {
			g.fail(d, cells, fCurrency, kind.BadCurrency, currencyReason(cur))
			return
		}
		cur = c
	}
	if amount != "" {
		p, reason := parsePrice(amount, g.decimalComma(fPrice, amountCell))
		switch {
		case reason != "":
			g.fail(d, cells, fPrice, kind.BadPrice, reason)
			return
		case p.currency != "" && cur != "" && !currencyAgrees(p.currency, cur):
			g.fail(d, cells, fPrice, kind.BadPrice, priceConflict(amount, p.currency, cur))
			return
		case cur == "" && p.currency != dollar:
			// A bare "$" names no single currency, so it sets none: Nutshell
			// then uses the account's currency, which is what a "$" most
			// likely meant. Unambiguous signs and codes set theirs.
			cur = p.currency
		}
		d.price, d.hasPrice = Price{Amount: p.amount, Currency: cur}, true
	}
	d.product, d.hasProduct = pm, true
}

func priceConflict(amount, inPrice, cur string) string {
	if inPrice == dollar {
		return strconv.Quote(amount) + " has a dollar sign but the currency is " + cur + "; make them agree"
	}
	return strconv.Quote(amount) + " is in " + inPrice + " but the currency is " + cur + "; make them agree"
}

// value returns a field's trimmed cell after the mapping file's values, or
// the field's default when that is empty. fromCell is false for a default.
func (g *Grouper) value(cells []string, f field) (v string, fromCell bool) {
	if i := g.spec.col[f]; i >= 0 && i < len(cells) {
		v = g.lookup(f, strings.TrimSpace(cells[i]))
	}
	if v != "" {
		return v, true
	}
	return g.spec.defaults[f], false
}

// decimalComma reports whether field f's value is read with a decimal comma:
// when the mapping says so, unless it comes from a number cell, whose text is
// the number with a dot.
func (g *Grouper) decimalComma(f field, fromCell bool) bool {
	if !g.spec.comma {
		return false
	}
	i := g.spec.col[f]
	return !fromCell || i < 0 || i >= len(g.numeric) || !g.numeric[i]
}

// lookup translates a trimmed cell through the mapping file's values.
func (g *Grouper) lookup(f field, v string) string {
	m := g.spec.values[f]
	if m == nil || v == "" {
		return v
	}
	g.buf = appendNameKey(g.buf[:0], v)
	if mv, ok := m[string(g.buf)]; ok { // no allocation: the compiler reads the bytes in place
		return mv
	}
	return v
}

// fail marks the row invalid because of field f's cell, unless it already is.
func (g *Grouper) fail(d *rowData, cells []string, f field, k kind.Kind, reason string) {
	if d.err == nil {
		d.err = g.cellError(cells, f, k, reason)
	}
}

// failErr is fail for an error from the Resolver, kept for errors.As.
func (g *Grouper) failErr(d *rowData, cells []string, f field, err error) {
	if d.err == nil {
		d.err = g.cellError(cells, f, resolveKind(f, err), err.Error())
		d.err.Err = err
	}
}

func (g *Grouper) cellError(cells []string, f field, k kind.Kind, reason string) *RowError {
	s := g.spec
	e := &RowError{Kind: k, Column: s.colName[f], Reason: reason}
	if i := s.col[f]; i >= 0 && i < len(cells) {
		e.Value = cells[i]
	}
	if strings.TrimSpace(e.Value) == "" && s.defaults[f] != "" {
		// The value at fault came from the mapping file, not the row.
		e.Column, e.Value = f.String()+" (mapping file default)", s.defaults[f]
	}
	return e
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// nameOrID turns a cell that gives an entity by ID or by name into what the
// resolver takes: the full ID for a bare or full ID, the text for a name. ok
// is false when the cell is malformed, and reason says why.
func nameOrID(v string, e entity) (ref, reason string, ok bool) {
	n, rk, reason := parseRef(v, e)
	switch rk {
	case refBad:
		return "", reason, false
	case refID:
		return formatID(v, n, e), "", true
	}
	return v, "", true
}
