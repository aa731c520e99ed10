package mapping

import "testing"

func TestFieldOf(t *testing.T) {
	header := []string{"Lead ID", "Deal Name", "Outcome", "import_result", "Price"}
	spec, err := NewSpec(header, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		column int
		want   string
	}{
		// A recognised lead column.
		{0, "lead"},
		// A column no field reads: carried only.
		{1, ""},
		// The outcome.
		{2, "outcome"},
		// An import_* column left by an earlier report feeds nothing.
		{3, ""},
		// The price.
		{4, "price"},
		// Past the header: nothing.
		{9, ""},
		// A negative index is no column.
		{-1, ""},
	}
	for _, tt := range tests {
		if got := spec.FieldOf(tt.column); got != tt.want {
			t.Errorf("FieldOf(%d) = %q, want %q", tt.column, got, tt.want)
		}
	}
}
