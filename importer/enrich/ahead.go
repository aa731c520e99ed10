package enrich

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// numbersPerRead is how many lead numbers one look-up asks for.
const numbersPerRead = 100

// NumbersAhead reads rows ahead of the mapping, numbersPerRead at a time,
// and has names find the lead numbers of each batch in one read where the
// server takes several (then each row's Fetch finds its number already
// looked up). Rows come out as the source gives them.
// A file without a lead-number column is read as it is.
func NumbersAhead(src source.Reader, spec *mapping.Spec, names *Names) source.Reader {
	for i := range spec.Columns() {
		if spec.FieldOf(i) == "lead_number" {
			return &numbersAhead{Reader: src, spec: spec, names: names}
		}
	}
	return src
}

type numbersAhead struct {
	source.Reader
	spec  *mapping.Spec
	names *Names
	rows  []source.Row
	err   error // the source's error after the buffered rows
}

func (a *numbersAhead) Next() (source.Row, error) {
	if len(a.rows) == 0 && a.err == nil {
		var numbers []string
		for len(a.rows) < numbersPerRead {
			row, err := a.Reader.Next()
			if err != nil {
				a.err = err
				break
			}
			// The source may reuse a row's slices on its next call.
			row.Cells, row.Numeric, row.Formats = slices.Clone(row.Cells), slices.Clone(row.Numeric), slices.Clone(row.Formats)
			a.rows = append(a.rows, row)
			if n := a.spec.Lookups(row.Cells).LeadNumber; n != "" {
				numbers = append(numbers, n)
			}
		}
		a.names.FetchNumbers(numbers)
	}
	if len(a.rows) > 0 {
		row := a.rows[0]
		a.rows = a.rows[1:]
		return row, nil
	}
	return source.Row{}, a.err
}

// FetchNumbers finds, in one read where the server takes several numbers
// (GET /leads?filter[number]=N,M, not declared), the lead numbers not yet
// looked up. The first refusal, or an answer that shows the filter was not
// applied, switches the run to one look-up per number (Fetch), learnt once.
// A number the batched answer does not hold is left to Fetch, whose own
// look-up decides whether it exists.
func (n *Names) FetchNumbers(numbers []string) {
	limits := n.reader.Limits()
	if n.stopped() || !limits.Allowed(nutshell.NumberFilter) || !limits.Allowed(nutshell.CommaNumbers) {
		return
	}
	var ask []int64
	for _, s := range numbers {
		s = strings.TrimSpace(s)
		v, err := strconv.ParseInt(s, 10, 64)
		if _, done := n.numbers[s]; done || err != nil || v <= 0 || slices.Contains(ask, v) {
			continue // asked already, or not a number: Fetch says why
		}
		ask = append(ask, v)
	}
	if len(ask) < 2 {
		return
	}
	var found map[int64][]nutshell.Lead
	err := n.reader.Read(n.ctx, func(ctx context.Context) error {
		var err error
		found, err = n.client.LeadsByNumbers(ctx, ask)
		return err
	})
	switch {
	case nutshell.Refused(err) || errors.Is(err, nutshell.ErrFilterIgnored):
		limits.Refuse(nutshell.CommaNumbers)
		return
	case err != nil:
		return // Fetch looks each number up and reports what goes wrong
	}
	for num, leads := range found {
		var ids []string
		for _, l := range leads {
			ids = append(ids, l.ID)
		}
		key := strconv.FormatInt(num, 10)
		if len(ids) == 1 {
			n.numbers[key] = numberAnswer{id: ids[0]}
		} else {
			n.numbers[key] = severalLeads(key, ids)
		}
	}
}
