package importer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/fake/contract"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/report"
)

// Two runs of one file against one account at once: the second stops
// before it sends anything, naming the first run's PID, and the first
// applies every update once. Undo of one report is locked the same way. A
// dry run, which sends nothing, takes no lock. Once the first run is over,
// the file can be run again.
func TestConcurrentRunsOfOneFile(t *testing.T) {
	forEachKind(t, func(t *testing.T, kind fake.Kind) {
		for _, policy := range []fake.ClosedPolicy{fake.RejectClosed, fake.ApplyToClosed} {
			t.Run(policy.String(), func(t *testing.T) {
				const n = 30
				srv := fake.New(withKind(fake.Options{Username: testUser, APIKey: testKey, Leads: 1000, OnClosed: policy, CheckRequest: contract.Hook(t)}, kind))
				// The first update waits until the second run is over, so the
				// first run is surely going while the second starts.
				first := make(chan struct{})
				release := make(chan struct{})
				var once sync.Once
				ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost {
						once.Do(func() { close(first); <-release })
					}
					srv.ServeHTTP(w, r)
				}))
				t.Cleanup(ts.Close)
				c, err := nutshell.New(nutshell.Config{BaseURL: ts.URL + "/rest", Username: testUser, APIKey: testKey, Timeout: 5 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				input := closeInput(t, n)
				locks := t.TempDir()
				opts := func() Options {
					o := baseOptions(t, input, c)
					o.LockDir = locks
					return o
				}

				type result struct {
					sum *Summary
					err error
				}
				done := make(chan result, 1)
				o1 := opts()
				go func() {
					sum, err := Run(context.Background(), o1)
					done <- result{sum, err}
				}()
				<-first

				o2 := opts()
				_, err = Run(context.Background(), o2)
				var setup *SetupError
				want := fmt.Sprintf("another leadstatus run (PID %d, started ", os.Getpid())
				if !errors.As(err, &setup) || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "is sending this file; wait for it, or stop it") {
					t.Errorf("second run: %v, want a setup error starting %q", err, want)
				}
				if _, statErr := os.Stat(o2.ReportPath); !errors.Is(statErr, os.ErrNotExist) {
					t.Errorf("the refused run left a report: %v", statErr)
				}
				// A dry run sends nothing and is not held up.
				dry := opts()
				dry.DryRun = true
				if _, err := Run(context.Background(), dry); err != nil {
					t.Errorf("dry run beside a real one: %v", err)
				}
				close(release)
				r1 := <-done
				if r1.sum == nil {
					t.Fatalf("first run: %v", r1.err)
				}
				rows := readReport(t, r1.sum.ReportPath)
				checkInvariants(t, srv, rows, n)
				if got := srv.Stats().Applied; got != n {
					t.Errorf("%d updates applied, want %d: each once", got, n)
				}

				// The lock is gone with the run: undo of its report runs, and
				// is refused while another undo of the same report holds it.
				held, err := takeLock(locks, "undo\x00"+fingerprint(t, r1.sum.ReportPath), c, "undoing this report", time.Now(), o1.Log)
				if err != nil {
					t.Fatalf("take the undo lock: %v", err)
				}
				uo := UndoOptions{Input: r1.sum.ReportPath, ReportPath: filepath.Join(t.TempDir(), "undo.csv"), Client: c, LockDir: locks, Rate: 2000, StartRate: 2000}
				if _, err := Undo(context.Background(), uo); !errors.As(err, &setup) || !strings.Contains(err.Error(), "is undoing this report; wait for it, or stop it") {
					t.Errorf("undo while another holds its lock: %v", err)
				}
				held.Release()
				if sum, err := Undo(context.Background(), uo); sum == nil || sum.Counts[report.Succeeded] != n {
					t.Errorf("undo after the lock was released: %v (%v)", err, sum)
				}
			})
		}
	})
}

func fingerprint(t *testing.T, path string) string {
	t.Helper()
	sha, _, err := report.FingerprintFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha
}
