package enrich

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/mapping"
)

// Reader is the paced, retried access to Nutshell that enrich reads through.
type Reader interface {
	Read(ctx context.Context, read func(context.Context) error) error
	Leads(ctx context.Context, ids []string) ([]nutshell.Lead, error)
}

// Names resolves what only Nutshell knows — outcome and product names, a
// lead's competitor maps, lead numbers — for mapping. Fetch reads what a row
// needs before the row is mapped; the mapping.Resolver methods then only
// look up what was fetched. Not safe for concurrent use: one goroutine maps
// rows.
type Names struct {
	client *nutshell.Client
	reader Reader
	ctx    context.Context

	outcomes     *mapping.Catalog
	outcomeNames map[string]string // by ID, lower case
	statusCounts map[string]int

	products    *mapping.Catalog
	productsErr error
	loaded      bool

	mapsLead string
	maps     *mapping.Catalog
	mapsErr  error

	numbers map[string]numberAnswer
	stopped func() bool
}

type numberAnswer struct {
	id  string
	err error
}

// NewNames fetches the account's outcomes (which also proves the credentials
// before anything is sent) and returns a Names reading through r. stopped
// reports whether the run stopped dispatching: names are then no longer
// fetched, and rows that need them stay unchecked (they will not be sent).
func NewNames(ctx context.Context, client *nutshell.Client, r Reader, stopped func() bool) (*Names, error) {
	var list []nutshell.Outcome
	err := r.Read(ctx, func(ctx context.Context) error {
		var err error
		list, err = client.Outcomes(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("fetch the account's outcomes: %w", err)
	}
	n := &Names{client: client, reader: r, ctx: ctx, numbers: map[string]numberAnswer{}, outcomeNames: map[string]string{}, statusCounts: map[string]int{}, stopped: stopped}
	outcomes := make([]mapping.Outcome, len(list))
	for i, o := range list {
		outcomes[i] = mapping.Outcome{ID: o.ID, Name: o.Name, Status: o.Status}
		n.outcomeNames[strings.ToLower(o.ID)] = o.Name
		n.statusCounts[o.Status]++
	}
	n.outcomes = mapping.NewCatalog(outcomes, nil, nil)
	return n, nil
}

// Fetch reads what the row behind l needs and has not been read yet.
func (n *Names) Fetch(l mapping.Lookups) {
	if n.stopped() {
		return
	}
	if l.LeadNumber != "" {
		if _, ok := n.numbers[l.LeadNumber]; !ok {
			n.numbers[l.LeadNumber] = n.leadByNumber(l.LeadNumber)
		}
	}
	if l.Product != "" && !n.loaded {
		n.loadProducts()
	}
	if len(l.Competitors) == 0 {
		return
	}
	lead, _, _ := mapping.ParseID(l.Lead, "leads")
	if lead == "" && l.LeadNumber != "" {
		lead = n.numbers[l.LeadNumber].id
	}
	if lead != "" && lead != n.mapsLead {
		n.loadMaps(lead)
	}
}

func (n *Names) loadProducts() {
	var list []nutshell.Product
	err := n.reader.Read(n.ctx, func(ctx context.Context) error {
		var err error
		list, err = n.client.Products(ctx)
		return err
	})
	if err != nil {
		n.productsErr = fmt.Errorf("fetch the product catalogue: %w", err)
		if n.stopped() {
			return // try again if ever asked; nothing more is sent anyway
		}
	} else {
		products := make([]mapping.Product, len(list))
		for i, p := range list {
			products[i] = mapping.Product{ID: p.ID, Name: p.Name}
		}
		n.products = mapping.NewCatalog(nil, products, nil)
	}
	n.loaded = true
}

// loadMaps reads one lead's competitor maps. Rows of a lead are
// consecutive, so keeping the last lead's maps is enough.
func (n *Names) loadMaps(lead string) {
	n.mapsLead, n.maps, n.mapsErr = lead, nil, nil
	var list []nutshell.CompetitorMap
	err := n.reader.Read(n.ctx, func(ctx context.Context) error {
		var err error
		list, err = n.client.CompetitorMaps(ctx, []string{lead})
		return err
	})
	if err != nil {
		n.mapsErr = fmt.Errorf("fetch the competitor maps of %s: %w", lead, err)
		return
	}
	maps := make([]mapping.CompetitorMap, len(list))
	for i, m := range list {
		maps[i] = mapping.CompetitorMap{ID: m.ID, Lead: m.Links.Lead, Name: m.Name, Competitor: m.Links.Competitor}
	}
	n.maps = mapping.NewCatalog(nil, nil, maps)
}

func (n *Names) leadByNumber(number string) numberAnswer {
	var leads []nutshell.Lead
	err := n.reader.Read(n.ctx, func(ctx context.Context) error {
		var err error
		leads, err = n.client.LeadsByNumber(ctx, number)
		return err
	})
	if err != nil {
		return numberAnswer{err: fmt.Errorf("look up lead number %s: %w", number, err)}
	}
	var ids []string
	for _, l := range leads {
		if strconv.FormatInt(l.Number, 10) == strings.TrimSpace(number) {
			ids = append(ids, l.ID)
		}
	}
	switch len(ids) {
	case 0:
		return numberAnswer{err: fmt.Errorf("no lead has number %s", number)}
	case 1:
		return numberAnswer{id: ids[0]}
	}
	return numberAnswer{err: fmt.Errorf("lead number %s matches several leads (%s)", number, strings.Join(ids, ", "))}
}

// Outcome implements mapping.Resolver.
func (n *Names) Outcome(ref string) (mapping.Outcome, error) { return n.outcomes.Outcome(ref) }

// Product implements mapping.Resolver.
func (n *Names) Product(ref string) (string, error) {
	switch {
	case n.products != nil:
		return n.products.Product(ref)
	case n.productsErr != nil && !n.stopped():
		return "", n.productsErr
	}
	return mapping.UncheckedResolver().Product(ref)
}

// CompetitorMap implements mapping.Resolver.
func (n *Names) CompetitorMap(lead, ref string) (string, error) {
	switch {
	case lead == n.mapsLead && n.maps != nil:
		return n.maps.CompetitorMap(lead, ref)
	case lead == n.mapsLead && n.mapsErr != nil && !n.stopped():
		return "", n.mapsErr
	}
	return mapping.UncheckedResolver().CompetitorMap(lead, ref)
}

// LeadByNumber implements mapping.Resolver.
func (n *Names) LeadByNumber(number string) (string, error) {
	if a, ok := n.numbers[number]; ok && (a.err == nil || !n.stopped()) {
		return a.id, a.err
	}
	return mapping.UncheckedResolver().LeadByNumber(number)
}

// Name returns an outcome's name, "" if unknown.
func (n *Names) Name(id string) string {
	if name, ok := n.outcomeNames[id]; ok {
		return name
	}
	return n.outcomeNames[strings.ToLower(id)]
}

// OutcomeNames returns the names of the account's outcomes.
func (n *Names) OutcomeNames() []string {
	names := make([]string, 0, len(n.outcomeNames))
	for _, name := range n.outcomeNames {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// StatusIsUnique reports whether exactly one outcome closes a lead as status.
func (n *Names) StatusIsUnique(status string) bool { return n.statusCounts[status] == 1 }
