package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
)

// An input of ten thousand columns names twenty of those not sent and
// counts the rest, on screen and in the JSON summary.
func TestSummaryNamesAtMostTwentyColumns(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		base, _ := fakeURL(t, withKind(fake.Options{}, kind))
		dir := t.TempDir()
		const extra = 10000
		var head, row strings.Builder
		head.WriteString("lead,outcome")
		row.WriteString("1,Won")
		for i := 1; i <= extra; i++ {
			fmt.Fprintf(&head, ",c%d", i)
			row.WriteString(",x")
		}
		input := filepath.Join(dir, "wide.csv")
		if err := os.WriteFile(input, []byte(head.String()+"\r\n"+row.String()+"\r\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base}

		err, stdout, stderr := runCLI(t, env, "import", input, "--report", filepath.Join(dir, "r.csv"))
		if err != nil {
			t.Fatalf("import: %v\n%s", err, stderr)
		}
		out := stdout + stderr
		want := "not sent, carried into the report: c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20 and 9980 more\n"
		if !strings.Contains(out, want) {
			t.Errorf("summary does not name 20 columns and count the rest:\n%s", out)
		}
		if len(out) > 4000 {
			t.Errorf("summary is %d bytes long", len(out))
		}

		err, stdout, _ = runCLI(t, env, "import", input, "--dry-run", "--log-format", "json", "--report", filepath.Join(dir, "r2.csv"))
		if err != nil {
			t.Fatalf("dry run: %v", err)
		}
		var sum struct {
			Columns []string `json:"columns_not_sent"`
			More    int      `json:"columns_not_sent_more"`
		}
		if err := json.Unmarshal([]byte(strings.TrimSpace(stdout)), &sum); err != nil {
			t.Fatalf("summary: %v\n%s", err, stdout)
		}
		if len(sum.Columns) != 20 || sum.Columns[19] != "c20" || sum.More != extra-20 {
			t.Errorf("JSON summary names %d columns (last %q) and %d more, want 20 and %d", len(sum.Columns), sum.Columns[len(sum.Columns)-1], sum.More, extra-20)
		}
	})
}
