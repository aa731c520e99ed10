package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// statusUpdate is a validated status body.
type statusUpdate struct {
	outcome        int64 // 0 = leave the status alone
	competitorMaps []int64
	productMaps    []productMap
}

// badRequest is why a status body was refused; its text is the 400 message.
type badRequest string

func (e badRequest) Error() string { return string(e) }

func badf(format string, args ...any) error { return badRequest(fmt.Sprintf(format, args...)) }

// Fields a status body, a product map and a price may carry, per the OpenAPI.
func statusFields() []string { return []string{"competitorMaps", "outcomeId", "productMaps"} }

func productMapFields() []string {
	return []string{"id", "links", "name", "price", "productType", "quantity", "relationship", "type", "unit"}
}

func priceFields() []string { return []string{"amount", "currency", "formatted"} }

// parseStatus validates a status body for lead as a strict server would.
func (s *Server) parseStatus(lead int64, body []byte) (statusUpdate, error) {
	var upd statusUpdate
	fields, err := object(body, "the request body")
	if err != nil {
		return upd, err
	}
	if err := onlyFields(fields, statusFields(), "the request body"); err != nil {
		return upd, err
	}
	if raw, ok := present(fields, "outcomeId"); ok {
		var id string
		if json.Unmarshal(raw, &id) != nil {
			return upd, badf("outcomeId must be a string such as \"1-outcomes\".")
		}
		n, ok := parseID(id, entityOutcomes)
		outcomes := Outcomes()
		if !ok || n > int64(len(outcomes)) {
			return upd, badf("Unknown outcome %q in outcomeId; use an ID from GET /outcomes.", id)
		}
		upd.outcome = n
	}
	if raw, ok := present(fields, "competitorMaps"); ok {
		var ids []string
		if json.Unmarshal(raw, &ids) != nil {
			return upd, badf("competitorMaps must be an array of competitor map IDs.")
		}
		for _, id := range ids {
			n, ok := parseID(id, entityCompetitorMaps)
			if !ok || n > 2*s.leads {
				return upd, badf("Unknown competitor map %q in competitorMaps; use an ID from GET /competitormaps.", id)
			}
			if owner := (n + 1) / 2; owner != lead {
				return upd, badf("Competitor map %q belongs to lead %s, not %s; use one of this lead's competitor maps.",
					id, formatID(owner, entityLeads), formatID(lead, entityLeads))
			}
			upd.competitorMaps = append(upd.competitorMaps, n)
		}
	}
	if raw, ok := present(fields, "productMaps"); ok {
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return upd, badf("productMaps must be an array of objects.")
		}
		for i, item := range items {
			pm, err := parseProductMap(item, fmt.Sprintf("productMaps[%d]", i))
			if err != nil {
				return upd, err
			}
			upd.productMaps = append(upd.productMaps, pm)
		}
	}
	return upd, nil
}

// parseProductMap validates one product map; where names it in messages.
func parseProductMap(raw []byte, where string) (productMap, error) {
	var pm productMap
	fields, err := object(raw, where)
	if err != nil {
		return pm, err
	}
	if err := onlyFields(fields, productMapFields(), where); err != nil {
		return pm, err
	}
	linksRaw, ok := present(fields, "links")
	if !ok {
		return pm, badf("%s.links.product is required; give the product's ID.", where)
	}
	links, err := object(linksRaw, where+".links")
	if err != nil {
		return pm, err
	}
	if err := onlyFields(links, []string{"product"}, where+".links"); err != nil {
		return pm, err
	}
	productRaw, ok := present(links, "product")
	if !ok {
		return pm, badf("%s.links.product is required; give the product's ID.", where)
	}
	var product string
	if json.Unmarshal(productRaw, &product) != nil {
		return pm, badf("%s.links.product must be a string such as \"1-products\".", where)
	}
	n, ok := parseID(product, entityProducts)
	if !ok || n > int64(len(Products())) {
		return pm, badf("Unknown product %q in %s.links.product; use an ID from GET /products.", product, where)
	}
	pm.Links.Product = formatID(n, entityProducts)

	if raw, ok := present(fields, "productType"); ok {
		if json.Unmarshal(raw, &pm.ProductType) != nil || pm.ProductType == "" {
			return pm, badf("%s.productType must be a non-empty string such as \"product\".", where)
		}
	}
	if raw, ok := present(fields, "quantity"); ok {
		q, ok := wholeNumber(raw)
		if !ok || q < 1 {
			return pm, badf("%s.quantity must be a whole number of at least 1, not %s.", where, raw)
		}
		pm.Quantity = q
	}
	if raw, ok := present(fields, "price"); ok {
		p, err := parsePrice(raw, where+".price")
		if err != nil {
			return pm, err
		}
		pm.Price = &p
	}
	// Root-level properties need productType, as the OpenAPI says.
	for _, f := range []string{"quantity", "price", "name", "unit", "relationship"} {
		if _, ok := present(fields, f); ok && pm.ProductType == "" {
			return pm, badf("%s sets %s without productType; add \"productType\": \"product\".", where, f)
		}
	}
	return pm, nil
}

// parsePrice validates a price object.
func parsePrice(raw []byte, where string) (price, error) {
	var p price
	fields, err := object(raw, where)
	if err != nil {
		return p, err
	}
	if err := onlyFields(fields, priceFields(), where); err != nil {
		return p, err
	}
	amount, ok := present(fields, "amount")
	if !ok {
		return p, badf("%s.amount is required, as a decimal string such as \"100.00\".", where)
	}
	if json.Unmarshal(amount, &p.Amount) != nil || !isDecimal(p.Amount) {
		return p, badf("%s.amount must be a decimal string such as \"100.00\", not %s.", where, amount)
	}
	if raw, ok := present(fields, "currency"); ok && json.Unmarshal(raw, &p.Currency) != nil {
		return p, badf("%s.currency must be a string such as \"USD\".", where)
	}
	return p, nil
}

// object decodes a JSON object into its raw fields.
func object(raw []byte, what string) (map[string]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	var fields map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &fields) != nil {
		return nil, badf("%s must be a JSON object.", capitalise(what))
	}
	return fields, nil
}

// onlyFields refuses fields a strict server would not know, naming the
// first in alphabetical order so the message is stable.
func onlyFields(fields map[string]json.RawMessage, known []string, what string) error {
	var unknown []string
	for k := range fields {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return badf("Unknown field %q in %s; known fields are %s.", unknown[0], what, strings.Join(known, ", "))
}

// present returns a field that is set and not null.
func present(fields map[string]json.RawMessage, name string) (json.RawMessage, bool) {
	raw, ok := fields[name]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil, false
	}
	return raw, true
}

// wholeNumber reads a JSON integer literal: no fraction, exponent or quotes.
func wholeNumber(raw []byte) (int64, bool) {
	s := string(bytes.TrimSpace(raw))
	if !allDigits(strings.TrimPrefix(s, "-")) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// isDecimal reports whether s is a decimal such as "100", "-5" or "99.50".
func isDecimal(s string) bool {
	whole, frac, hasFrac := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	return allDigits(whole) && (!hasFrac || allDigits(frac))
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// capitalise upper-cases the first letter of an ASCII phrase.
func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
