package mapping

import "strings"

// Product is one entry of the account's product catalogue.
type Product struct {
	ID   string // "3-products"
	Name string
}

// CompetitorMap links a competitor to a lead.
type CompetitorMap struct {
	ID         string // "5-competitorMaps"
	Lead       string // the lead's ID
	Name       string // the competitor's name
	Competitor string // the competitor's ID, "1-competitors"; "" when not known
}

// Catalog answers a Resolver's name lookups (outcomes, products, competitor
// maps; not lead numbers) over lists fetched once per run. Names match
// ignoring case and extra spaces; IDs are checked for existence. A nil list
// means "not fetched": IDs of that kind pass as valid and names are answered
// with ErrUnchecked.
type Catalog struct {
	outcomes []Outcome
	products []Product
	maps     []CompetitorMap

	outcomeIdx index
	productIdx index
	mapByID    map[string]int   // canonical ID → position in maps
	mapsByLead map[string][]int // canonical lead ID → positions in maps
}

// index finds catalogue entries by canonical ID and by name key.
type index struct {
	ids    []string // canonical ID of each entry
	byID   map[string]int
	byName map[string][]int
}

func newIndex(n int, e entity, entry func(i int) (id, name string)) index {
	x := index{ids: make([]string, n), byID: make(map[string]int, n), byName: make(map[string][]int, n)}
	for i := range n {
		id, name := entry(i)
		x.ids[i] = canonicalID(id, e)
		x.byID[x.ids[i]] = i
		key := nameKey(name)
		x.byName[key] = append(x.byName[key], i)
	}
	return x
}

// NewCatalog indexes the lists; any of them may be nil (not fetched).
func NewCatalog(outcomes []Outcome, products []Product, maps []CompetitorMap) *Catalog {
	c := &Catalog{outcomes: outcomes, products: products, maps: maps}
	if outcomes != nil {
		c.outcomeIdx = newIndex(len(outcomes), entOutcome, func(i int) (string, string) { return outcomes[i].ID, outcomes[i].Name })
	}
	if products != nil {
		c.productIdx = newIndex(len(products), entProduct, func(i int) (string, string) { return products[i].ID, products[i].Name })
	}
	if maps != nil {
		c.mapByID = make(map[string]int, len(maps))
		c.mapsByLead = make(map[string][]int)
		for i, m := range maps {
			c.mapByID[canonicalID(m.ID, entCompetitorMap)] = i
			lead := canonicalID(m.Lead, entLead)
			c.mapsByLead[lead] = append(c.mapsByLead[lead], i)
		}
	}
	return c
}

// Outcome resolves an outcome ID or name.
func (c *Catalog) Outcome(ref string) (Outcome, error) {
	if c.outcomes == nil {
		if _, ok := idNumber(ref, entOutcome); ok {
			return Outcome{ID: canonicalID(ref, entOutcome)}, nil
		}
		return Outcome{}, uncheckedError("outcome", ref)
	}
	i, err := c.outcomeIdx.find(ref, entOutcome, "outcome")
	if err != nil {
		if ne, ok := err.(*NameError); ok && !ne.Ambiguous {
			ne.Candidates = make([]string, len(c.outcomes))
			for j, o := range c.outcomes {
				ne.Candidates[j] = o.Name
			}
			ne.Closest = closest(ref, ne.Candidates)
		}
		return Outcome{}, err
	}
	o := c.outcomes[i]
	o.ID = c.outcomeIdx.ids[i]
	return o, nil
}

// Product resolves a product ID or name to the product's ID.
func (c *Catalog) Product(ref string) (string, error) {
	if c.products == nil {
		if _, ok := idNumber(ref, entProduct); ok {
			return canonicalID(ref, entProduct), nil
		}
		return "", uncheckedError("product", ref)
	}
	i, err := c.productIdx.find(ref, entProduct, "product")
	if err != nil {
		if ne, ok := err.(*NameError); ok && !ne.Ambiguous {
			names := make([]string, len(c.products))
			for j, p := range c.products {
				names[j] = p.Name
			}
			ne.Candidates = closest(ref, names)
		}
		return "", err
	}
	return c.productIdx.ids[i], nil
}

// CompetitorMap resolves a competitor map ID, a competitor's ID
// ("1-competitors") or a competitor's name to the ID of the map that links
// the competitor to lead.
func (c *Catalog) CompetitorMap(lead, ref string) (string, error) {
	if c.maps == nil {
		if _, ok := idNumber(ref, entCompetitorMap); ok {
			return canonicalID(ref, entCompetitorMap), nil
		}
		return "", uncheckedError("competitor", ref)
	}
	lead = canonicalID(lead, entLead)
	mine := c.mapsByLead[lead]
	notFound := func() error {
		names := make([]string, 0, len(mine))
		for _, i := range mine {
			names = appendUnique(names, c.maps[i].Name)
		}
		return &NameError{Kind: "competitor", Name: ref, Lead: lead, Candidates: names}
	}
	if _, ok := idNumber(ref, entCompetitorMap); ok {
		id := canonicalID(ref, entCompetitorMap)
		if i, found := c.mapByID[id]; found && canonicalID(c.maps[i].Lead, entLead) == lead {
			return id, nil
		}
		return "", notFound()
	}
	key := nameKey(ref)
	match := func(m *CompetitorMap) bool { return nameKey(m.Name) == key }
	if id, _, ok := competitorID(ref); ok {
		match = func(m *CompetitorMap) bool { return sameCompetitor(m.Competitor, id) }
	}
	var hits []string
	for _, i := range mine {
		if match(&c.maps[i]) {
			hits = append(hits, canonicalID(c.maps[i].ID, entCompetitorMap))
		}
	}
	switch len(hits) {
	case 0:
		return "", notFound()
	case 1:
		return hits[0], nil
	}
	return "", &NameError{Kind: "competitor", Name: ref, Ambiguous: true, Candidates: hits}
}

// find looks ref up as an ID (when it is one) or as a name.
func (x index) find(ref string, e entity, kind string) (int, error) {
	if n, ok := idNumber(ref, e); ok {
		if i, found := x.byID[formatID(strings.TrimSpace(ref), n, e)]; found {
			return i, nil
		}
		return 0, &NameError{Kind: kind, Name: ref}
	}
	var arr [64]byte
	hits := x.byName[string(appendNameKey(arr[:0], ref))] // looked up in place, no allocation
	switch len(hits) {
	case 0:
		return 0, &NameError{Kind: kind, Name: ref}
	case 1:
		return hits[0], nil
	}
	ids := make([]string, len(hits))
	for j, i := range hits {
		ids[j] = x.ids[i]
	}
	return 0, &NameError{Kind: kind, Name: ref, Ambiguous: true, Candidates: ids}
}

// canonicalID writes an ID of entity e in the API's documented form
// ("5-competitorMaps"); anything that is not such an ID is only lower-cased,
// so lookups still agree with themselves.
func canonicalID(id string, e entity) string {
	id = strings.TrimSpace(id)
	if n, ok := idNumber(id, e); ok {
		return formatID(id, n, e)
	}
	return strings.ToLower(id)
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
