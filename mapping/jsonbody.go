package mapping

import (
	"strconv"
	"unicode/utf8"
)

// appendBody appends b as encoding/json encodes it with HTML escaping off,
// byte for byte: fields in declaration order, empty ones omitted as their
// omitempty tags say. Written by hand because the reflection-based encoder
// was a seventh of a dry run's time.
func appendBody(dst []byte, b *Body) []byte {
	dst = append(dst, '{')
	comma := false
	if b.OutcomeID != "" {
		dst = append(dst, `"outcomeId":`...)
		dst = appendJSONString(dst, b.OutcomeID)
		comma = true
	}
	if len(b.CompetitorMaps) > 0 {
		if comma {
			dst = append(dst, ',')
		}
		dst = append(dst, `"competitorMaps":[`...)
		for i, c := range b.CompetitorMaps {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, c)
		}
		dst = append(dst, ']')
		comma = true
	}
	if len(b.ProductMaps) > 0 {
		if comma {
			dst = append(dst, ',')
		}
		dst = append(dst, `"productMaps":[`...)
		for i := range b.ProductMaps {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendProductMap(dst, &b.ProductMaps[i])
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func appendProductMap(dst []byte, p *ProductMap) []byte {
	dst = append(dst, `{"productType":`...)
	dst = appendJSONString(dst, p.ProductType)
	if p.Quantity != 0 {
		dst = append(dst, `,"quantity":`...)
		dst = strconv.AppendInt(dst, int64(p.Quantity), 10)
	}
	if p.Price != nil {
		dst = append(dst, `,"price":{"amount":`...)
		dst = appendJSONString(dst, p.Price.Amount)
		if p.Price.Currency != "" {
			dst = append(dst, `,"currency":`...)
			dst = appendJSONString(dst, p.Price.Currency)
		}
		dst = append(dst, '}')
	}
	dst = append(dst, `,"links":{"product":`...)
	dst = appendJSONString(dst, p.Links.Product)
	return append(dst, "}}"...)
}

// bodySize returns the encoded size of b when no string needs escaping (an
// escape only grows the output), so that it is allocated once.
func bodySize(b *Body) int {
	n, fields := len(`{}`), 0
	if b.OutcomeID != "" {
		n += len(`"outcomeId":""`) + len(b.OutcomeID)
		fields++
	}
	if len(b.CompetitorMaps) > 0 {
		n += len(`"competitorMaps":[]`) + len(b.CompetitorMaps) - 1
		for _, c := range b.CompetitorMaps {
			n += len(`""`) + len(c)
		}
		fields++
	}
	if len(b.ProductMaps) > 0 {
		n += len(`"productMaps":[]`) + len(b.ProductMaps) - 1
		for i := range b.ProductMaps {
			n += productMapSize(&b.ProductMaps[i])
		}
		fields++
	}
	if fields > 1 {
		n += fields - 1 // the commas between them
	}
	return n
}

func productMapSize(p *ProductMap) int {
	n := len(`{"productType":"","links":{"product":""}}`) + len(p.ProductType) + len(p.Links.Product)
	if p.Quantity != 0 {
		var digits [20]byte
		n += len(`,"quantity":`) + len(strconv.AppendInt(digits[:0], int64(p.Quantity), 10))
	}
	if p.Price != nil {
		n += len(`,"price":{"amount":""}`) + len(p.Price.Amount)
		if p.Price.Currency != "" {
			n += len(`,"currency":""`) + len(p.Price.Currency)
		}
	}
	return n
}

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping off: '"' and '\\' escaped, control characters as \b, \f,
// \n, \r, \t or \u00XX, U+2028 and U+2029 as \u2028 and \u2029, and each
// byte of invalid UTF-8 as \ufffd.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
