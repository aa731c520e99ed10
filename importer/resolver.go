package importer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/pacer"
	"github.com/leadstatus/leadstatus/mapping"
)

// newResolver returns what names resolve against: the account's outcomes
// (fetched now, which also proves the credentials work before anything is
// sent), and products, competitor maps and lead numbers fetched when a row
// first needs them. Without a client, names cannot be checked.
func newResolver(ctx context.Context, o *Options, p *pacer.Pacer) (mapping.Resolver, error) {
	if o.Client == nil {
		return mapping.UncheckedResolver(), nil
	}
	random := o.Random
	if random == nil {
		random = defaultRandom
	}
	var outcomes []nutshell.Outcome
	err := retryRead(ctx, o, p, random, func() error {
		var err error
		outcomes, err = o.Client.Outcomes(ctx)
		return err
	})
	if err != nil {
		if nutshell.KindOf(err) == nutshell.KindFatal {
			return nil, &FatalError{Auth: true, Err: err, Reason: credentialsMessage(err)}
		}
		return nil, fmt.Errorf("fetch the account's outcomes: %w", err)
	}
	res := &apiResolver{ctx: ctx, opts: o, client: o.Client, check: o.Check, pacer: p, random: random}
	res.outcomes = mapping.NewCatalog(toOutcomes(outcomes), nil, nil)
	if o.Check {
		if err := res.loadProducts(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func credentialsMessage(err error) string {
	var apiErr *nutshell.Error
	status := 0
	if errors.As(err, &apiErr) {
		status = apiErr.StatusCode
	}
	return fmt.Sprintf("Nutshell rejected the credentials (HTTP %d): check NUTSHELL_USERNAME (the user's e-mail), NUTSHELL_API_KEY and that the key may read and update leads", status)
}

// apiResolver implements mapping.Resolver over the API, fetching each
// catalogue once per run. It is used by the single goroutine that maps rows.
type apiResolver struct {
	ctx      context.Context
	client   *nutshell.Client
	check    bool
	opts     *Options
	pacer    *pacer.Pacer // lookups count toward the request rate too
	random   func() float64
	outcomes *mapping.Catalog

	once        sync.Once
	products    *mapping.Catalog
	productsErr error

	mapsLead string
	maps     *mapping.Catalog
	mapsErr  error
}

// read runs one lookup paced and retried like every other read.
func (a *apiResolver) read(fn func() error) error {
	return retryRead(a.ctx, a.opts, a.pacer, a.random, fn)
}

func (a *apiResolver) Outcome(ref string) (mapping.Outcome, error) { return a.outcomes.Outcome(ref) }

func (a *apiResolver) Product(ref string) (string, error) {
	if isID(ref, "products") && !a.check {
		return ref, nil // the server checks IDs; fetching the catalogue for them would be wasted
	}
	if err := a.loadProducts(); err != nil {
		return "", err
	}
	return a.products.Product(ref)
}

func (a *apiResolver) loadProducts() error {
	a.once.Do(func() {
		var products []nutshell.Product
		err := a.read(func() error {
			var err error
			products, err = a.client.Products(a.ctx)
			return err
		})
		if err != nil {
			a.productsErr = fmt.Errorf("fetch the product catalogue: %w", err)
			return
		}
		list := make([]mapping.Product, len(products))
		for i, p := range products {
			list[i] = mapping.Product{ID: p.ID, Name: p.Name}
		}
		a.products = mapping.NewCatalog(nil, list, nil)
	})
	return a.productsErr
}

func (a *apiResolver) CompetitorMap(lead, ref string) (string, error) {
	if isID(ref, "competitormaps") && !a.check {
		return ref, nil
	}
	if a.mapsLead != lead {
		// Rows of one lead are consecutive, so caching the last lead's maps is enough.
		a.mapsLead = lead
		a.maps, a.mapsErr = nil, nil
		var maps []nutshell.CompetitorMap
		err := a.read(func() error {
			var err error
			maps, err = a.client.CompetitorMaps(a.ctx, []string{lead})
			return err
		})
		if err != nil {
			a.mapsErr = fmt.Errorf("fetch the competitor maps of %s: %w", lead, err)
		} else {
			list := make([]mapping.CompetitorMap, len(maps))
			for i, m := range maps {
				list[i] = mapping.CompetitorMap{ID: m.ID, Lead: m.Links.Lead, Name: m.Name}
			}
			a.maps = mapping.NewCatalog(nil, nil, list)
		}
	}
	if a.mapsErr != nil {
		return "", a.mapsErr
	}
	return a.maps.CompetitorMap(lead, ref)
}

func (a *apiResolver) LeadByNumber(number string) (string, error) {
	var leads []nutshell.Lead
	err := a.read(func() error {
		var err error
		leads, err = a.client.LeadsByNumber(a.ctx, number)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("look up lead number %s: %w", number, err)
	}
	var ids []string
	for _, l := range leads {
		if fmt.Sprint(l.Number) == strings.TrimSpace(number) {
			ids = append(ids, l.ID)
		}
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("no lead has number %s", number)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("lead number %s matches several leads (%s)", number, strings.Join(ids, ", "))
}

func toOutcomes(in []nutshell.Outcome) []mapping.Outcome {
	out := make([]mapping.Outcome, len(in))
	for i, o := range in {
		out[i] = mapping.Outcome{ID: o.ID, Name: o.Name, Status: o.Status}
	}
	return out
}

// isID reports whether ref is a full API ID of the given entity type ("3-products").
func isID(ref, entity string) bool {
	n, typ, ok := strings.Cut(ref, "-")
	if !ok || n == "" || !strings.EqualFold(typ, entity) {
		return false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
