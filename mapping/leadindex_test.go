package mapping

import (
	"math/rand/v2"
	"testing"
)

// TestLeadIndex checks the lead index against a Go map through several
// growths, with consecutive, huge and colliding keys (which also moves it
// from pages to the hash table), and with dense keys only (which keeps it paged).
func TestLeadIndex(t *testing.T) {
	x := newLeadIndex()
	want := map[uint64]uint32{}
	r := rand.New(rand.NewPCG(1, 2))
	keys := []uint64{1, 1 << 63, 1<<63 - 1}
	for i := range uint64(5000) {
		keys = append(keys, 1000+i, r.Uint64()|1, (i%1000+1)<<54) // the last kind share their low bits
	}
	for i, k := range keys {
		x.set(k, uint32(i))
		want[k] = uint32(i)
		if i%7 == 0 { // overwrite some, as marking a group invalid does
			x.set(k, uint32(i)|invalidMark)
			want[k] = uint32(i) | invalidMark
		}
	}
	if x.count != len(want) {
		t.Fatalf("count %d, want %d", x.count, len(want))
	}
	for k, v := range want {
		if got, ok := x.get(k); !ok || got != v {
			t.Fatalf("get(%d) = %d, %v; want %d", k, got, ok, v)
		}
	}
	for _, k := range []uint64{2, 999, 1 << 53} {
		if _, ok := x.get(k); ok {
			t.Errorf("get(%d) found a key never set", k)
		}
	}
}

func TestLeadIndexStaysPagedForDenseIDs(t *testing.T) {
	x := newLeadIndex()
	// Every other ID from 5,000 on: dense enough for pages.
	for i := range uint64(100000) {
		x.set(5000+2*i, uint32(i+2))
	}
	if x.pages == nil {
		t.Fatal("dense IDs moved the index to the hash table")
	}
	if x.count != 100000 {
		t.Fatalf("count %d", x.count)
	}
	for i := range uint64(100000) {
		if v, ok := x.get(5000 + 2*i); !ok || v != uint32(i+2) {
			t.Fatalf("get(%d) = %d, %v", 5000+2*i, v, ok)
		}
		if _, ok := x.get(5001 + 2*i); ok {
			t.Fatalf("get(%d) found a key never set", 5001+2*i)
		}
	}
}
