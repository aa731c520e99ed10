package nutshell

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// UnmarshalJSON decodes a lead leniently: the API's own schema gives
// "number" as an integer and shows it as a string, so both are accepted, and
// a field of an unexpected type is left empty instead of failing the answer.
//
// The lead's outcome and competitor maps are read from its links
// (links.outcome, links.competitorMaps: IDs). Its product maps are read from
// an inline "productMaps" list of objects when there is one; links.productMaps
// names them by ID, and decodeLeads fills them in from the list the answer
// side-loads beside the leads.
func (l *Lead) UnmarshalJSON(b []byte) error {
	var w struct {
		ID          flexString      `json:"id"`
		Name        flexString      `json:"name"`
		Number      flexString      `json:"number"`
		Status      flexString      `json:"status"`
		ClosedTime  flexString      `json:"closedTime"`
		DeletedTime flexString      `json:"deletedTime"`
		HTMLURL     flexString      `json:"htmlUrl"`
		Links       json.RawMessage `json:"links"`
		ProductMaps json.RawMessage `json:"productMaps"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var links struct {
		Outcome        flexString      `json:"outcome"`
		ProductMaps    json.RawMessage `json:"productMaps"`
		CompetitorMaps json.RawMessage `json:"competitorMaps"`
	}
	_ = json.Unmarshal(w.Links, &links) // links that are not an object name nothing
	n, _ := strconv.ParseInt(string(w.Number), 10, 64)
	*l = Lead{
		ID:          string(w.ID),
		Name:        string(w.Name),
		Number:      n,
		Status:      string(w.Status),
		ClosedTime:  string(w.ClosedTime),
		DeletedTime: string(w.DeletedTime),
		HTMLURL:     string(w.HTMLURL),
		Links:       LeadLinks{Outcome: string(links.Outcome)},
	}
	l.CompetitorMaps, l.CompetitorMapsShown = idList(links.CompetitorMaps)
	l.ProductMapIDs, l.ProductMapIDsShown = idList(links.ProductMaps)
	if maps, ok := productMapList(w.ProductMaps); ok {
		l.ProductMaps, l.ProductMapsShown = maps, true
	} else if l.ProductMapIDsShown && len(l.ProductMapIDs) == 0 {
		l.ProductMaps, l.ProductMapsShown = []LeadProductMap{}, true // linked to none: nothing to look up
	}
	return nil
}

// decodeLeads decodes the leads of an answer (see decodeList) and fills in
// product maps that a lead names under links.productMaps from the
// "productMaps" list side-loaded beside the leads. A lead whose maps are not
// all in that list is left with ProductMapsShown false: part of a list is not
// the list.
func decodeLeads(body []byte) ([]Lead, pageInfo, error) {
	raws, info, err := decodeList[json.RawMessage](body, "leads")
	if err != nil {
		return nil, info, err
	}
	side := sideLoadedProductMaps(body)
	leads := make([]Lead, 0, len(raws))
	for _, raw := range raws {
		var l Lead
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, info, err
		}
		if !l.ProductMapsShown {
			l.ProductMaps, l.ProductMapsShown = linkedProductMaps(raw, side)
		}
		leads = append(leads, l)
	}
	return leads, info, nil
}

// sideLoadedProductMaps indexes by ID the product maps an answer lists at its
// top level.
func sideLoadedProductMaps(body []byte) map[string]LeadProductMap {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return nil
	}
	raw, ok := field(obj, "productMaps")
	if !ok {
		return nil
	}
	maps, _ := productMapList(raw)
	byID := make(map[string]LeadProductMap, len(maps))
	for _, m := range maps {
		if m.ID != "" {
			byID[m.ID] = m
		}
	}
	return byID
}

// linkedProductMaps resolves a lead's links.productMaps against the
// side-loaded maps; it reports false unless every one was found.
func linkedProductMaps(lead []byte, side map[string]LeadProductMap) ([]LeadProductMap, bool) {
	var w struct {
		Links struct {
			ProductMaps json.RawMessage `json:"productMaps"`
		} `json:"links"`
	}
	if json.Unmarshal(lead, &w) != nil {
		return nil, false
	}
	ids, ok := idList(w.Links.ProductMaps)
	if !ok {
		return nil, false
	}
	maps := make([]LeadProductMap, 0, len(ids))
	for _, id := range ids {
		m, ok := side[id]
		if !ok {
			return nil, false
		}
		maps = append(maps, m)
	}
	return maps, true
}

// mapsHaveIDs reports whether every map names its ID.
func mapsHaveIDs(maps []LeadProductMap) bool {
	for _, m := range maps {
		if m.ID == "" {
			return false
		}
	}
	return true
}

// idList reads a JSON array of IDs, given as strings, numbers or objects
// with an "id"; it reports false for anything but an array.
func idList(raw json.RawMessage) ([]string, bool) {
	var items []json.RawMessage
	if !isArray(raw) || json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		var id flexString
		if isObject(it) {
			var o struct {
				ID flexString `json:"id"`
			}
			_ = json.Unmarshal(it, &o) // an object without a usable id names nothing
			id = o.ID
		} else {
			_ = json.Unmarshal(it, &id) // null, booleans and the like name nothing
		}
		if id != "" {
			ids = append(ids, string(id))
		}
	}
	return ids, true
}

// productMapList reads a JSON array of product map objects; it reports false
// for anything but an array.
func productMapList(raw json.RawMessage) ([]LeadProductMap, bool) {
	var items []json.RawMessage
	if !isArray(raw) || json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	maps := make([]LeadProductMap, 0, len(items))
	for _, it := range items {
		var m LeadProductMap
		if isObject(it) && json.Unmarshal(it, &m) == nil {
			maps = append(maps, m)
		}
	}
	return maps, true
}

// UnmarshalJSON decodes a LeadProductMap as the schema gives it ("quantity"
// a number, "price" an object with a decimal-string "amount", the product
// under links.product), accepting numbers as strings and the reverse.
func (m *LeadProductMap) UnmarshalJSON(b []byte) error {
	var w struct {
		ID       flexString      `json:"id"`
		Quantity flexString      `json:"quantity"`
		Price    json.RawMessage `json:"price"`
		Links    json.RawMessage `json:"links"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var price struct {
		Amount   flexString `json:"amount"`
		Currency flexString `json:"currency"`
	}
	_ = json.Unmarshal(w.Price, &price) // a price that is not an object says nothing
	var links struct {
		Product flexString `json:"product"`
	}
	_ = json.Unmarshal(w.Links, &links)
	q, _ := strconv.ParseFloat(string(w.Quantity), 64)
	*m = LeadProductMap{
		ID:       string(w.ID),
		Product:  string(links.Product),
		Quantity: q,
		Amount:   string(price.Amount),
		Currency: string(price.Currency),
	}
	return nil
}

func isArray(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '['
}

func isObject(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

// flexString takes a JSON string or number as text; anything else is empty.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case b[0] == '-' || ('0' <= b[0] && b[0] <= '9'):
		*f = flexString(b)
	}
	return nil
}
