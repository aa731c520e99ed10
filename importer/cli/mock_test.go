package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestMockOnClosed(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int // the answer to an outcome sent to a closed lead
	}{
		// Today's behaviour by default: 422.
		{"default", nil, http.StatusUnprocessableEntity},
		// Said explicitly.
		{"reject", []string{"--on-closed", "reject"}, http.StatusUnprocessableEntity},
		// Applied again.
		{"apply", []string{"--on-closed", "apply"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, stop := startMock(t, tt.args...)
			defer stop()
			for i, want := range []int{http.StatusOK, tt.want} {
				req, err := http.NewRequest(http.MethodPost, base+"/leads/2-leads/status", strings.NewReader(`{"outcomeId":"1-outcomes"}`))
				if err != nil {
					t.Fatal(err)
				}
				req.SetBasicAuth("me@example.com", "any-key")
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("update %d: status %d, want %d", i+1, resp.StatusCode, want)
				}
			}
		})
	}
}

func TestMockOnClosedRefusesOtherValues(t *testing.T) {
	err, _, stderr := runCLI(t, nil, "mock", "--addr", "127.0.0.1:0", "--on-closed", "skip")
	if ExitCode(err) != ExitUsage {
		t.Fatalf("exit code %d (%v), want %d", ExitCode(err), err, ExitUsage)
	}
	if want := "leadstatus: --on-closed \"skip\": choose reject or apply\n"; stderr != want {
		t.Errorf("stderr = %q, want one line %q", stderr, want)
	}
}

// startMock runs "leadstatus mock" on a free port and returns its base URL
// and a function that stops it and checks that it stopped cleanly.
func startMock(t *testing.T, args ...string) (string, func()) {
	t.Helper()
	sys, _, errOut := testIO(nil)
	pr, pw := io.Pipe()
	sys.Out = pw
	stop, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := Run(context.Background(), stop, append([]string{"mock", "--addr", "127.0.0.1:0", "--leads", "10"}, args...), sys)
		pw.Close()
		done <- err
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		cancel()
		t.Fatalf("mock printed nothing: %v %s", <-done, errOut)
	}
	base, _, _ := strings.Cut(strings.TrimPrefix(lines.Text(), "fake Nutshell API at "), " ")
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return base, func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("mock: %v", err)
		}
	}
}
