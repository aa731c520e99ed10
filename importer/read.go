package importer

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/source"
	"github.com/leadstatus/leadstatus/mapping"
)

// read maps and groups the input's rows. An input error part-way stops the
// run; the groups read before it are handed on.
func (s *stages) read(out chan<- item) error {
	defer close(out)
	for {
		it, err := s.items.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			s.stop.Stop(err.Error(), kind.InputError, err)
			return nil
		}
		out <- it
	}
}

// rowGroups is the import's item source: rows mapped and merged by lead,
// their names resolved first.
type rowGroups struct {
	src     source.Reader
	spec    *mapping.Spec
	names   interface{ Fetch(mapping.Lookups) } // nil: nothing to fetch
	grouper *mapping.Grouper
	n       int
	err     error // the input error that ended the rows, handed out after the last group
	done    bool
}

func (g *rowGroups) next() (item, error) {
	for !g.done {
		row, err := g.src.Next()
		if err != nil {
			// End of input or an error: the group still open is complete
			// as far as the input goes, and is handed on either way.
			g.done = true
			if !errors.Is(err, io.EOF) {
				g.err = err
			}
			if grp := g.grouper.Flush(); grp != nil {
				return item{group: grp}, nil
			}
			break
		}
		g.n++
		if g.names != nil {
			g.names.Fetch(g.spec.Lookups(row.Cells))
		}
		if grp := g.grouper.AddFormatted(row.Number, row.Cells, row.Numeric, row.Formats); grp != nil {
			return item{group: grp}, nil
		}
	}
	if g.err != nil {
		return item{}, g.err
	}
	return item{}, io.EOF
}

func (g *rowGroups) rows() int { return g.n }

// sourceOptions adds the header rule to the reading options: the row
// --header-row or the mapping file's header_row names, else the first row
// near the top that names a lead column.
func sourceOptions(opts source.Options, cfg *mapping.Config) source.Options {
	if opts.HeaderRow == 0 {
		opts.HeaderRow = cfg.HeaderRow()
	}
	opts.IsHeader = mapping.IsHeader(cfg)
	opts.HeaderWant, opts.HeaderFix = mapping.HeaderWant(cfg), mapping.HeaderFix(cfg)
	return opts
}

// openInput opens the input; standard input is read from its spooled copy.
func openInput(input string, opts source.Options, spool string) (source.Reader, func(), error) {
	if spool == "" {
		src, err := source.Open(input, opts)
		if err != nil {
			return nil, nil, err
		}
		return src, func() { src.Close() }, nil
	}
	f, err := os.Open(spool)
	if err != nil {
		return nil, nil, fmt.Errorf("read standard input back from %s: %w", spool, err)
	}
	opts.Stdin = f
	src, err := source.Open("-", opts)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return src, func() { src.Close(); f.Close() }, nil
}

// spoolStdin copies standard input to a temporary file, so it can be read
// twice like any file: once to check it whole, once to run. The file is
// closed at once (Windows cannot remove an open file) and removed by the caller.
func spoolStdin(in io.Reader) (string, error) {
	if in == nil {
		return "", errors.New("there is no standard input to read; give a file path instead of -")
	}
	// The PID in the name lets a later run tell a killed run's copy from a
	// live one's (removeLeftovers).
	f, err := os.CreateTemp("", fmt.Sprintf("%s%d-*.csv", stdinPrefix, os.Getpid()))
	if err != nil {
		return "", fmt.Errorf("keep standard input in a temporary file: %w", err)
	}
	_, err = io.Copy(f, in)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("read standard input: %w", err)
	}
	return f.Name(), nil
}

// prescan reads every row once and returns how many there are, or the
// file-level error that would stop the run part-way.
func prescan(input string, opts source.Options, spool string, tally *mapping.OutcomeTally) (int, error) {
	src, closeSrc, err := openInput(input, opts, spool)
	if err != nil {
		return 0, err
	}
	defer closeSrc()
	return countRows(src, func(r source.Row) { tally.Add(r.Cells) })
}

// countRows reads src to its end, handing each row to each, and returns how
// many rows it held.
func countRows(src source.Reader, each func(source.Row)) (int, error) {
	n := 0
	for {
		row, err := src.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		each(row)
		n++
	}
}

func displayName(input string) string {
	if input == "-" {
		return "standard input"
	}
	return input
}
