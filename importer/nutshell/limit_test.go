package nutshell

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestHugeAnswerIsCut(t *testing.T) {
	const total = 100 << 20
	var written atomic.Int64
	done := make(chan struct{})
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		w.Header().Set("Content-Type", jsonType)
		chunk := []byte(`{"outcomes":[` + strings.Repeat(" ", 64<<10-13))
		for written.Load() < total {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return // the client hung up, as it should
			}
		}
	}))
	_, err := newClient(t, srv).Outcomes(context.Background())
	e := asError(t, err)
	if e.Kind != KindDefinite || !strings.Contains(e.Message, "larger than 8 MiB") {
		t.Errorf("err = %v (kind %v)", err, e.Kind)
	}
	<-done
	t.Logf("server wrote %d MiB", written.Load()>>20)
	// What the kernel buffers on both sides comes on top of the 8 MiB read.
	if n := written.Load(); n > total/2 {
		t.Errorf("the server wrote %d MiB before the client hung up", n>>20)
	}
}

func TestErrorBodyIsCut(t *testing.T) {
	// A huge error page still yields its title, read from the first 64 KiB only.
	body := "<html><head><title>Too Big</title></head><body>" + strings.Repeat("x", 1<<20) + "</body></html>"
	c := newClient(t, newServer(t, serve(500, htmlType, body)))
	_, err := c.UpdateStatus(context.Background(), "1-leads", nil)
	if e := asError(t, err); e.Message != "Too Big" || len(err.Error()) > 400 {
		t.Errorf("err = %.200v", err)
	}
}
