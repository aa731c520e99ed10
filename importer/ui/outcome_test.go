package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/cli"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/ui"
)

// TestSameOutcomeOnPageAndCommand runs one import and its undo through the
// command and through the page, each against its own fake account, and
// wants the same results and the same exit code from both.
func TestSameOutcomeOnPageAndCommand(t *testing.T) {
	tests := []struct {
		name           string
		csv            string
		wantSent, want int // exit codes of the import and the undo
	}{
		{"every row sent", "lead_id,outcome\n1,Won\n2,Won\n3,Won\n", cli.ExitOK, cli.ExitOK},
		// The invalid row needs a look after the import; the undo has
		// nothing to undo for it, which is no failure.
		{"one invalid row", "lead_id,outcome\n1,Won\nnot-a-lead,Won\n3,Won\n", cli.ExitRowsFailed, cli.ExitOK},
	}
	for _, k := range fake.Kinds() {
		for _, tt := range tests {
			t.Run(k.Name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				var o fake.Options
				k.Apply(&o)
				cmdSent, cmdUndone := commandSendAndUndo(t, o, []byte(tt.csv))
				pageSent, pageUndone := ui.SendAndUndo(t, o, "leads.csv", []byte(tt.csv))
				for _, c := range []struct {
					what      string
					cmd, page *importer.SummaryRecord
					want      int
				}{{"import", cmdSent, pageSent, tt.wantSent}, {"undo", cmdUndone, pageUndone, tt.want}} {
					if c.cmd.ExitCode != c.want || c.page.ExitCode != c.want {
						t.Errorf("%s: exit code %d by the command, %d on the page; want %d", c.what, c.cmd.ExitCode, c.page.ExitCode, c.want)
					}
					if got, want := counts(c.page), counts(c.cmd); got != want {
						t.Errorf("%s: the page counts %s, the command %s", c.what, got, want)
					}
				}
			})
		}
	}
}

// commandSendAndUndo runs leadstatus import, then leadstatus undo of its
// report, and returns their JSON summaries after checking each command's
// exit code is the one its summary states.
func commandSendAndUndo(t *testing.T, o fake.Options, data []byte) (sent, undone *importer.SummaryRecord) {
	t.Helper()
	env := map[string]string{"NUTSHELL_USERNAME": ui.TestUser, "NUTSHELL_API_KEY": ui.TestKey, "NUTSHELL_API_URL": ui.FakeURL(t, o)}
	dir := t.TempDir()
	input, rep := filepath.Join(dir, "leads.csv"), filepath.Join(dir, "leads.report.csv")
	if err := os.WriteFile(input, data, 0o600); err != nil {
		t.Fatal(err)
	}
	fast := []string{"--rate", "1000", "--start-rate", "1000", "--log-format", "json"}
	sent = command(t, env, append([]string{"import", input, "--report", rep}, fast...))
	undone = command(t, env, append([]string{"undo", rep, "--yes"}, fast...))
	return sent, undone
}

func command(t *testing.T, env map[string]string, args []string) *importer.SummaryRecord {
	t.Helper()
	var out, errOut bytes.Buffer
	sys := &cli.IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: func(k string) string { return env[k] }, Now: time.Now}
	code := cli.ExitCode(cli.Run(context.Background(), context.Background(), args, sys))
	var rec importer.SummaryRecord
	if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
		t.Fatalf("%s: no summary (%v): %s", strings.Join(args, " "), err, errOut.String())
	}
	if rec.ExitCode != code {
		t.Errorf("%s: exited %d, its summary says %d", strings.Join(args, " "), code, rec.ExitCode)
	}
	return &rec
}

// counts is a summary's rows per result, to compare.
func counts(rec *importer.SummaryRecord) string {
	b, _ := json.Marshal(rec.Results)
	return string(b)
}
