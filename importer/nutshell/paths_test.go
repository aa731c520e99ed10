package nutshell

import (
	"fmt"
	"strings"
	"testing"
)

func TestChunkIDs(t *testing.T) {
	ids := func(n int, width int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%0*d-leads", width, i)
		}
		return out
	}
	tests := []struct {
		name   string
		ids    []string
		maxIDs int
		maxLen int
		sizes  []int
	}{
		// Nothing to fetch: no batches.
		{name: "none", ids: nil, maxIDs: 100, maxLen: 6000, sizes: nil},
		// The count limit splits 250 short IDs into 100, 100, 50.
		{name: "count limit", ids: ids(250, 4), maxIDs: 100, maxLen: 6000, sizes: []int{100, 100, 50}},
		// The length limit: 10-byte IDs plus commas, 35 bytes allow 3 per batch.
		{name: "length limit", ids: ids(7, 4), maxIDs: 100, maxLen: 35, sizes: []int{3, 3, 1}},
		// An ID longer than the limit goes alone rather than being dropped.
		{name: "oversized ID", ids: []string{"1-leads", strings.Repeat("9", 50), "2-leads"}, maxIDs: 100, maxLen: 20, sizes: []int{1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks := chunkIDs(tt.ids, tt.maxIDs, tt.maxLen)
			var sizes []int
			var flat []string
			for _, c := range chunks {
				sizes = append(sizes, len(c))
				flat = append(flat, c...)
				if len(c) > 1 && len(joinIDs(c)) > tt.maxLen {
					t.Errorf("batch %q is %d bytes, over %d", joinIDs(c), len(joinIDs(c)), tt.maxLen)
				}
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tt.sizes) {
				t.Errorf("batch sizes = %v, want %v", sizes, tt.sizes)
			}
			if strings.Join(flat, " ") != strings.Join(tt.ids, " ") {
				t.Errorf("batches lost or reordered IDs")
			}
		})
	}
}

func TestEscapeID(t *testing.T) {
	tests := []struct{ id, want string }{
		// The usual form is unchanged.
		{"1006-leads", "1006-leads"},
		// A comma cannot turn one ID into two.
		{"1,2", "1%2C2"},
		// A slash cannot reach another endpoint.
		{"1/reopen", "1%2Freopen"},
		// Spaces and query characters are escaped.
		{"a b?c", "a%20b%3Fc"},
	}
	for _, tt := range tests {
		if got := escapeID(tt.id); got != tt.want {
			t.Errorf("escapeID(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
	if got := joinIDs([]string{"1-leads", "2,3"}); got != "1-leads,2%2C3" {
		t.Errorf("joinIDs = %q", got)
	}
}

func TestCleanID(t *testing.T) {
	tests := []struct {
		id      string
		want    string
		wantErr bool
	}{
		// Surrounding spaces from a spreadsheet cell are trimmed.
		{id: " 1006-leads ", want: "1006-leads"},
		// An empty ID would address the whole collection.
		{id: "  ", wantErr: true},
		// Dot segments would address another path.
		{id: "..", wantErr: true},
	}
	for _, tt := range tests {
		got, err := cleanID("op", tt.id)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("cleanID(%q) = %q, %v", tt.id, got, err)
		}
		if err != nil && KindOf(err) != KindDefinite {
			t.Errorf("cleanID(%q) kind = %v", tt.id, KindOf(err))
		}
	}
}
