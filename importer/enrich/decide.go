package enrich

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/leadstatus/leadstatus/importer/kind"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
	"github.com/leadstatus/leadstatus/mapping"
)

// Rules are the choices a user made about leads that are already closed.
type Rules struct {
	// UpdateClosed sends updates to closed leads anyway (--update-closed).
	UpdateClosed bool
	// SkipClosed was given explicitly: closed leads are skipped as done.
	SkipClosed bool
}

// Lead is what one read showed of a lead.
type Lead struct {
	Found   bool
	Deleted bool
	Status  string // "open", "won", "lost", "cancelled"
	Outcome string // the outcome ID, when the read shows it
	// Products and CompetitorMaps are on the lead; each Known flag says the
	// read showed that list at all.
	Products         []Product
	ProductsKnown    bool
	CompetitorMaps   []string
	CompetitorsKnown bool
	// productMapIDs name the product maps when the read did not show them.
	productMapIDs []string
}

// Product is one product map on a lead.
type Product struct {
	ID       string
	Quantity int
	Amount   string
	Currency string
}

// Closed reports whether the lead has an outcome.
func (l Lead) Closed() bool { return l.Status != "" && l.Status != "open" }

// FromNutshell turns a lead read into a Lead.
func FromNutshell(l nutshell.Lead) Lead {
	out := Lead{
		Found:            true,
		Deleted:          l.DeletedTime != "",
		Status:           l.Status,
		Outcome:          l.Links.Outcome,
		ProductsKnown:    l.ProductMapsShown,
		CompetitorMaps:   l.CompetitorMaps,
		CompetitorsKnown: l.CompetitorMapsShown,
		productMapIDs:    l.ProductMapIDs,
	}
	for _, pm := range l.ProductMaps {
		out.Products = append(out.Products, productOf(pm))
	}
	return out
}

func productOf(pm nutshell.LeadProductMap) Product {
	q := int(pm.Quantity)
	if float64(q) != pm.Quantity {
		q = -1 // a fraction no row can ask for
	}
	return Product{ID: pm.Product, Quantity: q, Amount: pm.Amount, Currency: pm.Currency}
}

// Decision settles an update without sending it, or lets it go (Result "").
type Decision struct {
	Result report.Result
	Kind   kind.Kind
	Note   string
}

// Outcomes tells the outcome name for messages and whether a status is
// shared by several outcomes (then the status alone cannot tell them apart).
type Outcomes interface {
	Name(id string) string
	StatusIsUnique(status string) bool
}

// Decide applies the rules to one update and what the read showed of its lead.
func Decide(u *mapping.Update, l Lead, rules Rules, outcomes Outcomes) Decision {
	switch {
	case !l.Found:
		return Decision{Result: report.Invalid, Kind: kind.LeadMissing, Note: fmt.Sprintf("lead %s does not exist in Nutshell; check the ID", u.Lead)}
	case l.Deleted:
		return Decision{Result: report.Invalid, Kind: kind.LeadDeleted, Note: fmt.Sprintf("lead %s was deleted in Nutshell", u.Lead)}
	}
	if u.Action == mapping.ActionReopen {
		if !l.Closed() {
			return Decision{Result: report.Skipped, Kind: kind.AlreadyDone, Note: fmt.Sprintf("lead %s is already open", u.Lead)}
		}
		return Decision{}
	}
	mapsOnLead, mapsKnown := asksOnlyWhatIsThere(u, l)
	if !l.Closed() {
		if u.Body.OutcomeID == "" && mapsKnown && mapsOnLead {
			return Decision{Result: report.Skipped, Kind: kind.AlreadyDone, Note: fmt.Sprintf("lead %s already has these products and competitors; nothing sent", u.Lead)}
		}
		return Decision{}
	}
	if rules.UpdateClosed {
		return Decision{}
	}
	current := outcomeLabel(l, outcomes)
	if u.Body.OutcomeID != "" && sameOutcome(u, l, outcomes) {
		asked := outcomeLabel(Lead{Status: l.Status, Outcome: u.Body.OutcomeID}, outcomes)
		switch {
		case mapsKnown && mapsOnLead:
			return Decision{Result: report.Skipped, Kind: kind.AlreadyDone, Note: fmt.Sprintf("already %s; nothing sent", asked)}
		case !mapsKnown:
			// One status update carries the outcome with its maps, so a
			// lead found with the outcome asked for is most likely the
			// earlier sending's work; sending again could add its products
			// twice. Done, and the note says what could not be checked.
			return Decision{Result: report.Skipped, Kind: kind.AlreadyDone, Note: fmt.Sprintf("already %s; nothing sent — %s not checked: this server does not show them on the lead (look at lead %s, or pass --update-closed to send them)", asked, unseen(u, l), u.Lead)}
		}
		return Decision{Result: report.Skipped, Kind: kind.Closed, Note: fmt.Sprintf("already %s but without some of these products or competitors; not changed — pass --update-closed to send anyway", asked)}
	}
	if rules.SkipClosed {
		return Decision{Result: report.Skipped, Kind: kind.SkipClosed, Note: fmt.Sprintf("lead %s was already closed as %s before this run (--skip-closed)", u.Lead, current)}
	}
	return Decision{Result: report.Skipped, Kind: kind.Closed, Note: fmt.Sprintf("closed as %s; not changed — pass --update-closed to send anyway", current)}
}

// unseen names what an update asks for that the read could not show.
func unseen(u *mapping.Update, l Lead) string {
	products := len(u.Body.ProductMaps) > 0 && !l.ProductsKnown
	competitors := len(u.Body.CompetitorMaps) > 0 && !l.CompetitorsKnown
	switch {
	case products && competitors:
		return "its products and competitor maps"
	case products:
		return "its products"
	}
	return "its competitor maps"
}

// sameOutcome: the lead is closed with the outcome the update asks for.
// Outcome IDs decide where the read shows them; the status alone only where
// one outcome has that status.
func sameOutcome(u *mapping.Update, l Lead, outcomes Outcomes) bool {
	if l.Outcome != "" {
		return sameID(l.Outcome, u.Body.OutcomeID)
	}
	return u.OutcomeStatus != "" && u.OutcomeStatus == l.Status && outcomes.StatusIsUnique(l.Status)
}

// outcomeLabel names the lead's outcome for a message: "Won", or its status.
func outcomeLabel(l Lead, outcomes Outcomes) string {
	if l.Outcome != "" {
		if name := outcomes.Name(l.Outcome); name != "" {
			return name
		}
	}
	if l.Status == "" {
		return "unknown"
	}
	return l.Status
}

// asksOnlyWhatIsThere reports whether every product map and competitor map
// the update asks for is already on the lead (known: the read showed the
// lists it needed to tell). An update that asks for none is trivially there.
func asksOnlyWhatIsThere(u *mapping.Update, l Lead) (there, known bool) {
	known = (len(u.Body.ProductMaps) == 0 || l.ProductsKnown) && (len(u.Body.CompetitorMaps) == 0 || l.CompetitorsKnown)
	if !known {
		return false, false
	}
	for _, id := range u.Body.CompetitorMaps {
		if !containsID(l.CompetitorMaps, id) {
			return false, true
		}
	}
	missing, _ := matchProducts(u.Body.ProductMaps, l.Products)
	return len(missing) == 0, true
}

// matchProducts pairs the product maps asked for with those the lead has,
// one for one (two rows of the same product need two maps on the lead):
// missing are the ones the lead lacks, there the ones it has.
func matchProducts(asked []mapping.ProductMap, have []Product) (missing, there []mapping.ProductMap) {
	used := make([]bool, len(have))
next:
	for _, pm := range asked {
		for i, p := range have {
			if !used[i] && sameProduct(pm, p) {
				used[i] = true
				there = append(there, pm)
				continue next
			}
		}
		missing = append(missing, pm)
	}
	return missing, there
}

func sameProduct(pm mapping.ProductMap, have Product) bool {
	if !sameID(pm.Links.Product, have.ID) {
		return false
	}
	if pm.Quantity != 0 && pm.Quantity != have.Quantity {
		return false
	}
	if pm.Price != nil {
		if !sameAmount(pm.Price.Amount, have.Amount) {
			return false
		}
		if pm.Price.Currency != "" && !strings.EqualFold(pm.Price.Currency, have.Currency) {
			return false
		}
	}
	return true
}

// sameAmount compares decimal amounts by value: "100" and "100.00" are equal.
func sameAmount(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(strings.TrimSpace(a))
	y, ok2 := new(big.Rat).SetString(strings.TrimSpace(b))
	if !ok1 || !ok2 {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	return x.Cmp(y) == 0
}

func containsID(list []string, id string) bool {
	for _, x := range list {
		if sameID(x, id) {
			return true
		}
	}
	return false
}

// sameID compares API IDs ignoring the case of the entity type.
func sameID(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }
