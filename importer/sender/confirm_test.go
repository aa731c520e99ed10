package sender

import (
	"testing"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/mapping"
)

// The read-back after an ambiguous failure counts as evidence only what the
// update changes relative to the read before it.
func TestChanged(t *testing.T) {
	won := func(closed string, products ...string) nutshell.Lead {
		l := nutshell.Lead{Status: "won", ClosedTime: closed, Links: nutshell.LeadLinks{Outcome: "1-outcomes"}}
		return withProducts(l, products...)
	}
	open := func(products ...string) nutshell.Lead {
		return withProducts(nutshell.Lead{Status: "open"}, products...)
	}
	lost := nutshell.Lead{Status: "lost", ClosedTime: "t0", Links: nutshell.LeadLinks{Outcome: "2-outcomes"}}
	closeWon := &mapping.Update{Body: mapping.Body{OutcomeID: "1-outcomes"}, OutcomeStatus: "won"}
	closeWonPro := &mapping.Update{Body: mapping.Body{OutcomeID: "1-outcomes", ProductMaps: []mapping.ProductMap{{Links: mapping.ProductLinks{Product: "1-products"}}}}, OutcomeStatus: "won"}
	proOnly := &mapping.Update{Body: mapping.Body{ProductMaps: []mapping.ProductMap{{Links: mapping.ProductLinks{Product: "1-products"}}}}}
	reopen := &mapping.Update{Action: mapping.ActionReopen}
	hidden := func(l nutshell.Lead) nutshell.Lead { l.ProductMaps, l.ProductMapsShown = nil, false; return l }

	tests := []struct {
		name                string
		u                   *mapping.Update
		before, after       nutshell.Lead
		wantApplied, wantOK bool
	}{
		{"open, now won", closeWon, open(), won("t1"), true, true},
		{"open, still open", closeWon, open(), open(), false, true},
		{"lost, now won", closeWon, lost, won("t1"), true, true},
		{"lost, still lost", closeWon, lost, lost, false, true},
		{"won, closed time moved", closeWon, won("t0"), won("t1"), true, true},
		{"won, nothing moved", closeWon, won("t0"), won("t0"), false, false},
		{"won, product added", closeWonPro, won("t0"), won("t0", "1-products"), true, true},
		{"won, product missing", closeWonPro, won("t0"), won("t0"), false, true},
		{"won, one product before, still one", closeWonPro, won("t0", "1-products"), won("t0", "1-products"), false, true},
		{"won, maps not shown", closeWonPro, hidden(won("t0")), hidden(won("t0")), false, false},
		{"product only, added", proOnly, open(), open("1-products"), true, true},
		{"product only, not added", proOnly, open(), open(), false, true},
		{"product only, maps not shown", proOnly, hidden(open()), hidden(open()), false, false},
		{"reopen, now open", reopen, won("t0"), open(), true, true},
		{"reopen, still closed", reopen, won("t0"), won("t0"), false, true},
		{"reopen, was open", reopen, open(), open(), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			applied, known := changed(tt.u, tt.before, tt.after)
			if applied != tt.wantApplied || known != tt.wantOK {
				t.Errorf("changed = applied %v, known %v; want %v, %v", applied, known, tt.wantApplied, tt.wantOK)
			}
		})
	}
}

func withProducts(l nutshell.Lead, products ...string) nutshell.Lead {
	l.ProductMaps, l.ProductMapsShown = []nutshell.LeadProductMap{}, true
	for _, p := range products {
		l.ProductMaps = append(l.ProductMaps, nutshell.LeadProductMap{Product: p})
	}
	return l
}
