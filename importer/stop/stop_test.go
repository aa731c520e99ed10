package stop

import (
	"errors"
	"sync"
	"testing"
)

func TestFirstReasonWinsAndTheFirstErrorIsKept(t *testing.T) {
	s := New()
	if _, _, stopped := s.Stopped(); stopped {
		t.Fatal("a new signal is raised")
	}
	select {
	case <-s.Done():
		t.Fatal("Done is closed before Stop")
	default:
	}
	fatal := errors.New("credentials refused")
	var wg sync.WaitGroup
	s.Stop("--limit 5 reached", "limit", nil)
	for range 8 { // raised again from many goroutines, as workers do
		wg.Add(1)
		go func() { defer wg.Done(); s.Stop("outage", "outage", fatal) }()
	}
	wg.Wait()
	reason, kind, stopped := s.Stopped()
	if !stopped || reason != "--limit 5 reached" || kind != "limit" {
		t.Errorf("Stopped = %q %q %v, want the first reason", reason, kind, stopped)
	}
	if !errors.Is(s.Err(), fatal) {
		t.Errorf("Err = %v, want the first error given", s.Err())
	}
	<-s.Done() // closed
	if s.Context().Err() == nil {
		t.Error("the context is not cancelled")
	}
}
