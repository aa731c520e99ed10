package bench

import (
	"strconv"
	"strings"
)

// Columns returns the header of every generated input file: the columns the
// tool maps, plus two free-text columns it carries into the report.
func Columns() []string {
	return []string{"Lead ID", "Deal Name", "Owner", "Outcome", "Product", "Quantity", "Price", "Currency", "Notes"}
}

// Lead is the content of one generated row.
type Lead struct {
	ID       int    // 1..N, distinct
	Deal     string // free text, sometimes with a comma
	Owner    string
	Outcome  string // "Won", "Lost" or "Cancelled": names, as people write them
	Product  int    // 1..5, or 0 for a row without a product
	Quantity int
	Cents    int64  // price in cents
	Notes    string // free text, sometimes with quotes
}

// Names of the generated rows' owners, companies and notes: a handful of
// realistic values, chosen per row by a hash so files are reproducible.
func owners() []string {
	return []string{"Jordan Lee", "Sam Patel", "Alex Kim", "Maria Garcia", "Chris O'Neil"}
}

func companies() []string {
	return []string{"Northwind", "Acme, Inc.", "Globex", "Initech", "Umbrella Corp", "Soylent, Ltd.", "Hooli"}
}

func notes() []string {
	return []string{
		"",
		"Renewal discussed with procurement",
		`Champion left; "revisit in Q1"`,
		"Lost on price, 12% above budget",
		"Signed after the second demo",
		"",
	}
}

// LeadAt returns generated row i (1-based). About half the rows are Won, a
// third Lost and the rest Cancelled; half of the Won rows carry a product
// with a quantity and a price.
func LeadAt(i int) Lead {
	h := mix(uint64(i))
	l := Lead{ID: i}
	ow, co, no := owners(), companies(), notes()
	l.Owner = ow[h%uint64(len(ow))]
	l.Deal = "Q4 renewal " + strconv.Itoa(i) + " - " + co[(h>>8)%uint64(len(co))]
	l.Notes = no[(h>>16)%uint64(len(no))]
	switch r := (h >> 24) % 20; {
	case r < 10:
		l.Outcome = "Won"
	case r < 17:
		l.Outcome = "Lost"
	default:
		l.Outcome = "Cancelled"
	}
	if l.Outcome == "Won" && (h>>32)%2 == 0 {
		l.Product = int(1 + (h>>36)%5)
		l.Quantity = int(1 + (h>>40)%4)
		l.Cents = int64(100+(h>>44)%9900)*100 + int64((h>>56)%2)*50
	}
	return l
}

// mix is splitmix64's finaliser: a cheap, well-spread hash of the row number.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Cells returns the row as text cells in the order of Columns, prices
// written as people type them ("1,250.50").
func (l Lead) Cells() []string {
	c := []string{strconv.Itoa(l.ID), l.Deal, l.Owner, l.Outcome, "", "", "", "", l.Notes}
	if l.Product > 0 {
		c[4] = strconv.Itoa(l.Product) + "-products"
		c[5] = strconv.Itoa(l.Quantity)
		c[6] = formatMoney(l.Cents, true)
		c[7] = "USD"
	}
	return c
}

// APIID returns the lead's API ID, as the URL of its status update needs it.
func (l Lead) APIID() string { return strconv.Itoa(l.ID) + "-leads" }

// Body returns the JSON body of the lead's status update, byte for byte what
// leadstatus sends for the row, for scripts that send it by other means.
func (l Lead) Body() string {
	var b strings.Builder
	b.WriteString(`{"outcomeId":"`)
	b.WriteString(outcomeID(l.Outcome))
	b.WriteString(`"`)
	if l.Product > 0 {
		b.WriteString(`,"productMaps":[{"productType":"product","quantity":`)
		b.WriteString(strconv.Itoa(l.Quantity))
		b.WriteString(`,"price":{"amount":"`)
		b.WriteString(formatMoney(l.Cents, false))
		b.WriteString(`","currency":"USD"},"links":{"product":"`)
		b.WriteString(strconv.Itoa(l.Product))
		b.WriteString(`-products"}}]`)
	}
	b.WriteString("}")
	return b.String()
}

// outcomeID is the fake API's ID for an outcome name (see fake.Outcomes).
func outcomeID(name string) string {
	switch name {
	case "Won":
		return "1-outcomes"
	case "Lost":
		return "2-outcomes"
	}
	return "3-outcomes"
}

// formatMoney writes cents as "1250.50", or "1,250.50" with grouping.
func formatMoney(cents int64, group bool) string {
	whole := strconv.FormatInt(cents/100, 10)
	if group && len(whole) > 3 {
		var b strings.Builder
		lead := len(whole) % 3
		if lead > 0 {
			b.WriteString(whole[:lead])
		}
		for i := lead; i < len(whole); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(whole[i : i+3])
		}
		whole = b.String()
	}
	frac := cents % 100
	return whole + "." + string(rune('0'+frac/10)) + string(rune('0'+frac%10))
}
