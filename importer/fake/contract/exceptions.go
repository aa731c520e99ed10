package contract

import (
	"fmt"
	"maps"

	"github.com/getkin/kin-openapi/openapi3"
)

// Exception is one place where the document is sloppy or silent and the
// check follows the live service's observed behaviour (reference
// nutshell-api.md) or the endpoint's own definition instead. Each is applied
// to the document when it is loaded, or allows query parameters it does not
// declare.
type Exception struct {
	Name string
	Why  string

	patch   func(*openapi3.T) error
	query   map[string][]string // "GET /path" → query parameters allowed
	filters map[string][]string // "GET /path" → the only filter[...] keys allowed
}

// Exceptions returns every exception, each once. Keep them few: each one is
// a place where the tests trust an observation over Nutshell's own words.
func Exceptions() []Exception {
	paging := []string{"page[page]", "page[limit]"}
	return []Exception{
		{
			Name:  "outcomes-list",
			Why:   `GET /outcomes is declared to answer one LeadOutcome; the service answers {"outcomes": [...]}`,
			patch: outcomesList,
		},
		{
			Name:  "lead-links",
			Why:   "Lead declares no links; the service names the outcome, products, product maps and competitor maps by ID under links",
			patch: leadLinks,
		},
		{
			Name:  "lead-side-loads",
			Why:   "LeadResponse declares meta, links and leads only; the lead reads side-load the product and competitor maps the leads' links name, as GET /competitormaps side-loads leads",
			patch: sideLoads,
		},
		{
			Name:  "comma-joined-lead-ids",
			Why:   `GET /leads/{id} declares one ID answered with one FullLead; several IDs joined by commas are observed, so the answer is {"leads": [...]}; a server that refuses them is read one ID at a time`,
			patch: leadReadList,
		},
		{
			Name:  "status-quantity-integer",
			Why:   "LeadProductMap.quantity is a float in the whole document; the status endpoint's own definition says integer, and a status body is held to that",
			patch: statusQuantity,
		},
		{
			Name:    "leads-filter-number",
			Why:     "GET /leads declares filter as an object of any keys, naming the filterable ones only at GET /leads/list/fields; the tool filters by number alone, observed in public client code, so any other key is refused; several numbers are joined by commas as lead IDs are, and a server that refuses that is asked one number at a time; a server that refuses or ignores the filter is searched with q=",
			filters: map[string][]string{"GET /leads": {"filter[number]"}},
		},
		{
			Name: "catalogue-paging",
			Why:  "page[page] and page[limit] are declared on GET /leads only; the tool pages the catalogue lists the same way, a server that ignores them gives the same result, and one that refuses them is asked for the list whole",
			query: map[string][]string{
				"GET /products":       paging,
				"GET /competitors":    paging,
				"GET /competitormaps": paging,
			},
		},
		{
			Name:  "competitormaps-filter-lead",
			Why:   "GET /competitormaps declares no parameters; the tool asks for one lead's maps with filter[lead], and when the server refuses or ignores it reads the lead's maps from the lead (links.competitorMaps) and GET /competitormaps/{id}",
			query: map[string][]string{"GET /competitormaps": {"filter[lead]"}},
		},
	}
}

// schemaRef is a reference to a component schema of doc.
func schemaRef(doc *openapi3.T, name string) (*openapi3.SchemaRef, error) {
	s, ok := doc.Components.Schemas[name]
	if !ok || s.Value == nil {
		return nil, fmt.Errorf("the document has no schema %s", name)
	}
	return openapi3.NewSchemaRef("#/components/schemas/"+name, s.Value), nil
}

// setOK replaces the JSON schema of an operation's 200 answer.
func setOK(doc *openapi3.T, method, path string, schema *openapi3.SchemaRef) error {
	item := doc.Paths.Value(path)
	if item == nil || item.GetOperation(method) == nil {
		return fmt.Errorf("the document has no %s %s", method, path)
	}
	ok := item.GetOperation(method).Responses.Status(200)
	if ok == nil || ok.Value == nil || ok.Value.Content.Get("application/json") == nil {
		return fmt.Errorf("%s %s declares no JSON 200 answer", method, path)
	}
	ok.Value.Content.Get("application/json").Schema = schema
	return nil
}

func outcomesList(doc *openapi3.T) error {
	outcome, err := schemaRef(doc, "LeadOutcome")
	if err != nil {
		return err
	}
	meta, err := schemaRef(doc, "meta")
	if err != nil {
		return err
	}
	list := openapi3.NewObjectSchema().
		WithPropertyRef("meta", meta).
		WithProperty("outcomes", &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeArray}, Items: outcome})
	list.Required = []string{"outcomes"}
	return setOK(doc, "GET", "/outcomes", list.NewRef())
}

func leadLinks(doc *openapi3.T) error {
	lead, ok := doc.Components.Schemas["Lead"]
	if !ok || lead.Value == nil {
		return fmt.Errorf("the document has no schema Lead")
	}
	ids := func() *openapi3.Schema { return openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()) }
	links := openapi3.NewObjectSchema().
		WithProperty("outcome", openapi3.NewStringSchema()).
		WithProperty("products", ids()).
		WithProperty("productMaps", ids()).
		WithProperty("competitorMaps", ids())
	for _, part := range lead.Value.AllOf {
		if part.Value != nil && part.Value.Properties["id"] != nil {
			part.Value.Properties["links"] = links.NewRef()
			return nil
		}
	}
	return fmt.Errorf("schema Lead has no part with the lead's fields")
}

func sideLoads(doc *openapi3.T) error {
	resp, ok := doc.Components.Schemas["LeadResponse"]
	if !ok || resp.Value == nil {
		return fmt.Errorf("the document has no schema LeadResponse")
	}
	for prop, name := range map[string]string{"productMaps": "LeadProductMap", "competitorMaps": "LeadCompetitorMap"} {
		item, err := schemaRef(doc, name)
		if err != nil {
			return err
		}
		resp.Value.WithProperty(prop, &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeArray}, Items: item})
	}
	return nil
}

func leadReadList(doc *openapi3.T) error {
	list, err := schemaRef(doc, "LeadResponse")
	if err != nil {
		return err
	}
	return setOK(doc, "GET", "/leads/{id}", list)
}

func statusQuantity(doc *openapi3.T) error {
	item := doc.Paths.Value("/leads/{id}/status")
	if item == nil || item.Post == nil || item.Post.RequestBody == nil || item.Post.RequestBody.Value == nil {
		return fmt.Errorf("the document has no body for POST /leads/{id}/status")
	}
	body := item.Post.RequestBody.Value.Content.Get("application/json")
	if body == nil || body.Schema == nil || body.Schema.Value == nil || body.Schema.Value.Properties["productMaps"] == nil {
		return fmt.Errorf("the status body declares no productMaps")
	}
	pm, err := schemaRef(doc, "LeadProductMap")
	if err != nil {
		return err
	}
	// A copy, so the maps a lead read shows keep the document's float.
	held := *pm.Value
	held.Properties = maps.Clone(held.Properties)
	held.Properties["quantity"] = openapi3.NewIntegerSchema().NewRef()
	body.Schema.Value.Properties["productMaps"].Value.Items = &openapi3.SchemaRef{Value: &held}
	return nil
}
