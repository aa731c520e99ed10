package fake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkStatusUpdate measures the handler alone, as a load test with a
// million requests would drive it (no record kept).
func BenchmarkStatusUpdate(b *testing.B) {
	s := New(Options{Leads: 10_000_000, NoRecord: true})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/rest/leads/%d-leads/status", i), strings.NewReader(closeBody))
		req.SetBasicAuth(testUser, testKey)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}
