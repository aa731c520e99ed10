package enrich

import (
	"context"
	"errors"
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
	CompetitorMaps(ctx context.Context, ids []string) (maps []nutshell.CompetitorMap, missing []string, err error)
	ProductMaps(ctx context.Context, ids []string) (maps []nutshell.LeadProductMap, missing []string, err error)
	Limits() *nutshell.Limits
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
	if !namesCompetitor(l.Competitors) {
		return // map IDs are checked against the lead when it is read
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
	read := func() error {
		whole := !n.reader.Limits().Allowed(nutshell.Paging)
		return n.reader.Read(n.ctx, func(ctx context.Context) error {
			var err error
			list, err = n.client.Products(ctx, whole)
			return err
		})
	}
	err := read()
	if errors.Is(err, nutshell.ErrPagingRefused) {
		n.reader.Limits().Refuse(nutshell.Paging)
		err = read()
	}
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

// loadMaps reads one lead's competitor maps, for the competitors a row
// names. Rows of a lead are consecutive, so keeping the last lead's maps is
// enough. The shortcut (GET /competitormaps?filter[lead]=ID) is tried until
// the server refuses or ignores it; then the lead's own read names its maps
// and GET /competitormaps/{id} gives their competitors.
func (n *Names) loadMaps(lead string) {
	n.mapsLead, n.maps, n.mapsErr = lead, nil, nil
	limits := n.reader.Limits()
	var list []nutshell.CompetitorMap
	var err error
	if limits.Allowed(nutshell.LeadFilter) {
		err = n.reader.Read(n.ctx, func(ctx context.Context) error {
			var err error
			list, err = n.client.CompetitorMaps(ctx, []string{lead})
			return err
		})
		switch {
		case nutshell.Refused(err) || errors.Is(err, nutshell.ErrFilterIgnored):
			limits.Refuse(nutshell.LeadFilter)
		case err != nil:
			err = fmt.Errorf("fetch the competitor maps of %s: %w", lead, err)
		}
	}
	if !limits.Allowed(nutshell.LeadFilter) {
		list, err = n.mapsOfLead(lead)
	}
	if err != nil {
		n.mapsErr = err
		return
	}
	maps := make([]mapping.CompetitorMap, len(list))
	for i, m := range list {
		maps[i] = mapping.CompetitorMap{ID: m.ID, Lead: lead, Name: m.Name, Competitor: m.Links.Competitor}
	}
	n.maps = mapping.NewCatalog(nil, nil, maps)
}

// mapsOfLead reads a lead's competitor maps the declared way: the lead read
// names them (links.competitorMaps), GET /competitormaps/{id} gives each
// one's competitor. A server whose lead reads do not name them leaves
// competitor names that cannot be looked up.
func (n *Names) mapsOfLead(lead string) ([]nutshell.CompetitorMap, error) {
	leads, err := n.reader.Leads(n.ctx, []string{lead})
	if err != nil {
		return nil, fmt.Errorf("read lead %s for its competitor maps: %w", lead, err)
	}
	if len(leads) == 0 {
		return nil, fmt.Errorf("lead %s does not exist in Nutshell; check the ID", lead)
	}
	if !leads[0].CompetitorMapsShown {
		return nil, &noCompetitorMapsError{lead: lead}
	}
	if len(leads[0].CompetitorMaps) == 0 {
		return nil, nil
	}
	maps, _, err := n.reader.CompetitorMaps(n.ctx, leads[0].CompetitorMaps)
	if err != nil {
		return nil, fmt.Errorf("read the competitor maps of %s: %w", lead, err)
	}
	return maps, nil
}

// noCompetitorMapsError: the server shows no way to find a lead's
// competitor maps, so a competitor named in a row cannot be turned into
// the map that links it to the lead.
type noCompetitorMapsError struct{ lead string }

func (e *noCompetitorMapsError) Error() string {
	return fmt.Sprintf("this server does not show the competitor maps of %s; write the competitor map's ID instead (such as 5-competitorMaps)", e.lead)
}

// namesCompetitor reports whether any competitor reference is not a
// competitor map ID: only those need the lead's maps looked up.
func namesCompetitor(refs []string) bool {
	for _, r := range refs {
		if strings.TrimSpace(r) != "" && !isMapID(r) {
			return true
		}
	}
	return false
}

func isMapID(ref string) bool {
	_, _, ok := mapping.ParseID(ref, "competitorMaps")
	return ok
}

func (n *Names) leadByNumber(number string) numberAnswer {
	var leads []nutshell.Lead
	limits := n.reader.Limits()
	find := func(search bool) error {
		return n.reader.Read(n.ctx, func(ctx context.Context) error {
			var err error
			leads, err = n.client.LeadsByNumber(ctx, number, search)
			return err
		})
	}
	search := !limits.Allowed(nutshell.NumberFilter)
	err := find(search)
	if !search && (nutshell.Refused(err) || errors.Is(err, nutshell.ErrFilterIgnored)) {
		limits.Refuse(nutshell.NumberFilter)
		search = true
		err = find(search)
	}
	if err != nil {
		return numberAnswer{err: fmt.Errorf("look up lead number %s: %w", number, err)}
	}
	if len(leads) == 0 && search {
		return numberAnswer{err: fmt.Errorf("no lead with number %s found by Nutshell's search; check the number, or write the lead's ID instead (such as 1006-leads, from the lead's address in Nutshell)", number)}
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
	return severalLeads(number, ids)
}

// severalLeads is the answer for a number that matches more than one lead.
func severalLeads(number string, ids []string) numberAnswer {
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
	case isMapID(ref):
		// Checked against the lead when it is read (GET /competitormaps/{id}).
		return mapping.UncheckedResolver().CompetitorMap(lead, ref)
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
