package importer

import (
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// A second run of a closing file: every lead is already as asked, so nothing
// is sent and nothing needs attention, on every kind of server. Where no read
// says which competitor maps a lead has (its leads do not name them, the
// maps do not name their lead), the note says what could not be checked.
func TestRerunWhereNoReadShowsALeadsCompetitorMaps(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		play := withKind(fake.Options{}, kind)
		unseen := play.MapsNameNoLead && play.NoCompetitorLinks
		srv, c := newFake(t, play)
		input := writeFile(t, "in.csv", "lead,outcome,competitor maps,product,quantity\n"+
			"1,Lost,1-competitorMaps,,\n"+
			"2,Won,3-competitorMaps; 4-competitorMaps,1-products,2\n"+
			"3,Won,,1-products,1\n")
		first, rows := run(t, baseOptions(t, input, c))
		if first.Counts[report.Succeeded] != 3 {
			t.Fatalf("first run: %v", first.Counts)
		}
		if unseen && !strings.Contains(rows[0]["import_note"], "competitor map 1-competitorMaps not checked: this server does not say which lead it belongs to") {
			t.Errorf("first run, row 2 note %q", rows[0]["import_note"])
		}
		sent := srv.Stats().Applied
		sum, rows := run(t, baseOptions(t, input, c))
		if sum.Counts[report.Skipped] != 3 || sum.NeedsAttention > 0 || srv.Stats().Applied != sent {
			t.Fatalf("second run: %v, needs attention %v, %d more applied", sum.Counts, sum.NeedsAttention > 0, srv.Stats().Applied-sent)
		}
		wants := []string{"already Lost; nothing sent", "already Won; nothing sent", "already Won; nothing sent"}
		if unseen {
			wants[0] += " — its competitor maps not checked: this server does not show them on the lead"
			wants[1] += " — its competitor maps not checked"
		}
		for i, want := range wants {
			if !strings.HasPrefix(rows[i]["import_error"], want) {
				t.Errorf("row %d: %q, want it to start %q", i+2, rows[i]["import_error"], want)
			}
		}
	})
}
