package importer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/report"
)

// One valid row followed by more invalid rows than the reorder window holds:
// the valid row's batch must be sent before the window fills, or the run
// would wait for itself.
func TestManyInvalidRowsAfterAValidOne(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		srv, c := newFake(t, withKind(fake.Options{}, kind))
		var b strings.Builder
		b.WriteString("lead,outcome\n1,Won\n")
		for i := 0; i < 3*reorderWindow; i++ {
			fmt.Fprintf(&b, "%d,\n", i+2) // nothing to send: invalid
		}
		b.WriteString("99999,Lost\n")
		sum, rows := run(t, baseOptions(t, writeFile(t, "in.csv", b.String()), c))
		checkInvariants(t, srv, rows, 3*reorderWindow+2)
		if sum.Counts[report.Succeeded] != 2 || sum.Counts[report.Invalid] != 3*reorderWindow {
			t.Errorf("counts %v", sum.Counts)
		}
	})
}
