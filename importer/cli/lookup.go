package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/leadstatus/leadstatus/importer/nutshell"
)

// lookupFlags are the flags of "leadstatus lookup".
type lookupFlags struct {
	conn   connFlags
	format string
}

// runLookup prints the account's outcomes, products or competitors, so a user
// can write a mapping file or check a spreadsheet.
func runLookup(ctx context.Context, args []string, sys *IO) error {
	var f lookupFlags
	cmd := lookupCommand(&f, apiURL(sys))
	positional, err := parseArgs(sys, cmd, args)
	if err != nil {
		return err
	}
	conn := &f.conn
	if len(positional) != 1 {
		return usageErrorf("lookup takes one of outcomes, products or competitors; see %s", cmd.helpRef())
	}
	if err := choice(cmd, "lookup", positional[0], []string{"outcomes", "products", "competitors"}); err != nil {
		return err
	}
	if err := conn.validate(); err != nil {
		return err
	}
	log := newLogger(sys, sys.Err, conn.logFormat, conn.quiet, conn.verbose)
	client, stopMock, err := conn.client(ctx, sys, log, false, true)
	if err != nil {
		return err
	}
	defer stopMock()

	var header []string
	var rows [][]string
	switch positional[0] {
	case "outcomes":
		list, err := client.Outcomes(ctx)
		if err != nil {
			return lookupError("outcomes", err)
		}
		header = []string{"id", "name", "status"}
		for _, o := range list {
			rows = append(rows, []string{o.ID, o.Name, o.Status})
		}
	case "products":
		list, err := client.Products(ctx, false)
		if errors.Is(err, nutshell.ErrPagingRefused) {
			list, err = client.Products(ctx, true)
		}
		if err != nil {
			return lookupError("products", err)
		}
		header = []string{"id", "name"}
		for _, p := range list {
			rows = append(rows, []string{p.ID, p.Name})
		}
	case "competitors":
		list, err := client.Competitors(ctx, false)
		if errors.Is(err, nutshell.ErrPagingRefused) {
			list, err = client.Competitors(ctx, true)
		}
		if err != nil {
			return lookupError("competitors", err)
		}
		header = []string{"id", "name"}
		for _, c := range list {
			rows = append(rows, []string{c.ID, c.Name})
		}
	default:
		return usageErrorf("lookup %q: choose outcomes, products or competitors", positional[0])
	}
	return writeTable(sys.Out, f.format, header, rows)
}

func lookupError(what string, err error) error {
	if nutshell.KindOf(err) == nutshell.KindFatal {
		return usageErrorf("look up %s: %s; check NUTSHELL_USERNAME and NUTSHELL_API_KEY", what, err)
	}
	return fmt.Errorf("look up %s: %w", what, err)
}

func writeTable(w io.Writer, format string, header []string, rows [][]string) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(header)
		_ = cw.WriteAll(rows)
		return cw.Error()
	case "json":
		list := make([]map[string]string, len(rows))
		for i, row := range rows {
			list[i] = map[string]string{}
			for j, h := range header {
				list[i][h] = row[j]
			}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, h := range header {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, h)
	}
	fmt.Fprintln(tw)
	for _, row := range rows {
		for i, c := range row {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
