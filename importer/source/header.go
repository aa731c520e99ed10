package source

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxHeaderSearch is how many non-blank rows at the top of a file are
// searched for the header: exported reports start with a title, a date or a
// filter line above it.
const MaxHeaderSearch = 20

// findHeader reads rows with next until the header: row opts.HeaderRow when
// it is set, else the first row opts.IsHeader accepts among the first
// MaxHeaderSearch (the first row when IsHeader is nil). Rows above it are
// skipped, with a warning that names them. It returns io.EOF when the file
// has no non-blank row.
func findHeader(path string, opts Options, next func() (Row, error)) (Row, []string, error) {
	var above []Row // non-blank rows above the header, first cells only
	for {
		row, err := next()
		if errors.Is(err, io.EOF) {
			if len(above) == 0 {
				return Row{}, nil, io.EOF
			}
			if opts.HeaderRow > 0 {
				return Row{}, nil, fileErr(path, ErrNoHeader, nil, fmt.Sprintf("--header-row %d is past the last row (%d); give the number of the row that holds the column names", opts.HeaderRow, above[len(above)-1].Number))
			}
			return Row{}, nil, noHeader(path, opts, above)
		}
		if err != nil {
			return Row{}, nil, err
		}
		switch want := opts.HeaderRow; {
		case want > 0 && row.Number < want:
		case want > 0 && row.Number > want:
			return Row{}, nil, fileErr(path, ErrNoHeader, nil, fmt.Sprintf("row %d, named by --header-row, is blank (the next row with cells is row %d); give the number of the row that holds the column names", want, row.Number))
		case want > 0 || opts.IsHeader == nil || opts.IsHeader(row.Cells):
			header := Row{Number: row.Number, Cells: slices.Clone(row.Cells)}
			var warnings []string
			if len(above) > 0 {
				warnings = append(warnings, skippedWarning(path, header.Number, above))
			}
			return header, warnings, nil
		case len(above)+1 >= MaxHeaderSearch:
			return Row{}, nil, noHeader(path, opts, append(above, preview(row)))
		}
		above = append(above, preview(row))
	}
}

// preview keeps what a message shows of a row: its number and its first
// few non-empty cells, shortened.
func preview(row Row) Row {
	const cells, chars = 4, 40
	p := Row{Number: row.Number}
	for _, c := range row.Cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if len(p.Cells) == cells {
			p.Cells = append(p.Cells, "…")
			break
		}
		if utf8.RuneCountInString(c) > chars {
			c = string([]rune(c)[:chars-1]) + "…"
		}
		p.Cells = append(p.Cells, c)
	}
	return p
}

// skippedWarning says which rows above the header were skipped.
func skippedWarning(path string, header int, above []Row) string {
	span := "row 1"
	if header > 2 {
		span = "rows 1–" + strconv.Itoa(header-1)
	}
	shown := make([]string, 0, 3)
	for _, r := range above[:min(len(above), 3)] {
		if len(r.Cells) > 0 {
			shown = append(shown, "'"+r.Cells[0]+"'")
		}
	}
	if len(above) > 3 {
		shown = append(shown, "…")
	}
	return fmt.Sprintf("%s: header on row %d; %s skipped: %s. Use --header-row to choose another row.", displayName(path), header, span, strings.Join(shown, ", "))
}

// noHeader explains that no row near the top names the columns the run
// needs, showing what the first rows hold and both ways out.
func noHeader(path string, opts Options, rows []Row) *FileError {
	const shown = 5
	parts := make([]string, 0, shown+1)
	for _, r := range rows[:min(len(rows), shown)] {
		q := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			if c == "…" {
				q[i] = c
			} else {
				q[i] = strconv.Quote(c)
			}
		}
		parts = append(parts, "row "+strconv.Itoa(r.Number)+": "+strings.Join(q, ", "))
	}
	if len(rows) > shown {
		parts = append(parts, "…")
	}
	want, fix := opts.HeaderWant, opts.HeaderFix
	if want == "" {
		want = "the columns needed"
	}
	if fix == "" {
		fix = "rename the header cells"
	}
	return fileErr(path, ErrNoHeader, nil, fmt.Sprintf("none of the first %d rows names %s (%s); %s, or give the row that holds the column names with --header-row N (header_row: N in a mapping file)", len(rows), want, strings.Join(parts, "; "), fix))
}
