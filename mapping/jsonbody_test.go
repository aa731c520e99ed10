package mapping

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// stdJSON is the reference Update.JSON must match byte for byte:
// encoding/json with HTML escaping off, trailing newline dropped.
func stdJSON(t *testing.T, b Body) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// checkSize checks that bodySize, the capacity JSON allocates, is exact when
// nothing was escaped and never more than what was written.
func checkSize(t *testing.T, b *Body, got []byte) {
	t.Helper()
	size := bodySize(b)
	escaped := bytes.IndexByte(got, '\\') >= 0
	if size > len(got) || (!escaped && size != len(got)) {
		t.Fatalf("bodySize = %d for %d bytes written (escapes: %v)", size, len(got), escaped)
	}
}

func TestUpdateJSONMatchesEncodingJSON(t *testing.T) {
	price := &Price{Amount: "1200.00", Currency: "USD"}
	tests := []struct {
		name string
		body Body
	}{
		// Nothing set: an empty object.
		{"empty", Body{}},
		// Outcome only, the commonest body.
		{"outcome", Body{OutcomeID: "1-outcomes"}},
		// Competitor maps without an outcome: no leading comma.
		{"competitors only", Body{CompetitorMaps: []string{"5-competitorMaps", "6-competitorMaps"}}},
		// An empty, non-nil list is omitted like a nil one.
		{"empty lists", Body{OutcomeID: "1-outcomes", CompetitorMaps: []string{}, ProductMaps: []ProductMap{}}},
		// Products alone, with and without quantity, price and currency.
		{"products only", Body{ProductMaps: []ProductMap{
			{ProductType: "product", Quantity: 2, Price: price, Links: ProductLinks{Product: "1-products"}},
			{ProductType: "product", Price: &Price{Amount: "0.50"}, Links: ProductLinks{Product: "2-products"}},
			{ProductType: "product", Quantity: -7, Links: ProductLinks{Product: "3-products"}},
			{},
		}}},
		// Every field at once.
		{"all", Body{OutcomeID: "1-outcomes", CompetitorMaps: []string{"5-competitorMaps"},
			ProductMaps: []ProductMap{{ProductType: "product", Quantity: 1 << 40, Price: price, Links: ProductLinks{Product: "1-products"}}}}},
		// Quotes, backslashes and every named control escape.
		{"escapes", Body{OutcomeID: "a\"b\\c\b\f\n\r\t/"}},
		// Other control characters become \u00XX with lower-case hex, DEL stays.
		{"control", Body{OutcomeID: "\x00\x01\x1f\x0b\x7f"}},
		// HTML characters stay as they are with HTML escaping off.
		{"html", Body{OutcomeID: "<a href='x'>&amp;</a>"}},
		// Line and paragraph separators are escaped even so.
		{"separators", Body{OutcomeID: "a\u2028b\u2029c\u2027"}},
		// Invalid UTF-8: each bad byte becomes \ufffd; valid multibyte text stays.
		{"invalid utf8", Body{OutcomeID: "é\xff\xc3(\xe2\x82 ok€\xf0\x9f\x98\x80\xed\xa0\x80", CompetitorMaps: []string{"\x80"}}},
		// Placeholders of unchecked names with odd text inside.
		{"unchecked names", Body{OutcomeID: "<Won \"big\">", CompetitorMaps: []string{"<Acme;Globex>"},
			ProductMaps: []ProductMap{{ProductType: "product", Price: &Price{Amount: "1.00", Currency: "€"}, Links: ProductLinks{Product: "<Widget\tPro>"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := stdJSON(t, tt.body)
			got := (Update{Body: tt.body}).JSON()
			if !bytes.Equal(got, want) {
				t.Errorf("JSON()\n%s\nwant\n%s", got, want)
			}
			checkSize(t, &tt.body, got)
		})
	}
}

// TestUpdateJSONReopen checks that a reopen has no body to send.
func TestUpdateJSONReopen(t *testing.T) {
	if got := (Update{Action: ActionReopen, Body: Body{OutcomeID: "1-outcomes"}}).JSON(); got != nil {
		t.Errorf("reopen JSON() = %q, want nil", got)
	}
}

// FuzzUpdateJSON checks the hand-written encoder against encoding/json on
// arbitrary strings in every field. Fields are separated by "|" in s.
func FuzzUpdateJSON(f *testing.F) {
	f.Add("1-outcomes|5-competitorMaps|product|1-products|1200.00|USD", 2, true)
	f.Add("a\"b\\c\x00\x1f\u2028\u2029|\xff\xfe|<&>|\xed\xa0\x80||", 0, false)
	f.Add("||||||", -1, true)
	f.Fuzz(func(t *testing.T, s string, quantity int, priced bool) {
		parts := strings.Split(s, "|")
		at := func(i int) string {
			if i < len(parts) {
				return parts[i]
			}
			return ""
		}
		b := Body{OutcomeID: at(0)}
		if c := at(1); c != "" {
			b.CompetitorMaps = strings.Split(c, ";")
		}
		if at(2) != "" || at(3) != "" || quantity != 0 || priced {
			pm := ProductMap{ProductType: at(2), Quantity: quantity, Links: ProductLinks{Product: at(3)}}
			if priced {
				pm.Price = &Price{Amount: at(4), Currency: at(5)}
			}
			b.ProductMaps = []ProductMap{pm, {ProductType: at(6), Links: ProductLinks{Product: at(0)}}}
		}
		want := stdJSON(t, b)
		got := (Update{Body: b}).JSON()
		if !bytes.Equal(got, want) {
			t.Fatalf("JSON()\n%q\nwant\n%q", got, want)
		}
		checkSize(t, &b, got)
	})
}

// BenchmarkUpdateJSON encodes the body of a lead closed with one priced product.
func BenchmarkUpdateJSON(b *testing.B) {
	u := Update{Body: Body{OutcomeID: "1-outcomes", ProductMaps: []ProductMap{
		{ProductType: "product", Quantity: 2, Price: &Price{Amount: "104.50", Currency: "USD"}, Links: ProductLinks{Product: "5-products"}},
	}}}
	b.ReportAllocs()
	for b.Loop() {
		u.JSON()
	}
}
