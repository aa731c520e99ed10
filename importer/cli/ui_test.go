package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer/fake"
)

func TestUIUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string // part of the message
	}{
		// Every interface: refused, the page holds credentials.
		{[]string{"ui", "--addr", "0.0.0.0:0", "--no-open"}, "loopback"},
		// Another machine's address.
		{[]string{"ui", "--addr", "192.0.2.1:80", "--no-open"}, "loopback"},
		// Not an address.
		{[]string{"ui", "--addr", "localhost", "--no-open"}, "--addr"},
		// ui takes no file.
		{[]string{"ui", "leads.csv"}, "no arguments"},
	}
	for _, tt := range tests {
		err, _, stderr := runCLI(t, nil, tt.args...)
		if ExitCode(err) != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 mentioning %q", tt.args, ExitCode(err), stderr, tt.want)
		}
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestUIServesUntilInterrupted: the printed link signs the browser in with
// the environment's credentials, and the first Ctrl-C stops the command and
// removes the uploads' folder.
func TestUIServesUntilInterrupted(t *testing.T) {
	forEachKindInTurn(t, func(t *testing.T, kind fake.Kind) {
		base, _ := fakeURL(t, withKind(fake.Options{}, kind))
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		sys, _, _ := testIO(map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key, "NUTSHELL_API_URL": base})
		var out, errOut syncBuffer
		sys.Out, sys.Err = &out, &errOut
		stop, interrupt := context.WithCancel(context.Background())
		defer interrupt()
		done := make(chan error, 1)
		go func() {
			done <- Run(context.Background(), stop, []string{"ui", "--no-open", "--dir", t.TempDir()}, sys)
		}()

		var url string
		for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if i := strings.Index(out.String(), "http://127.0.0.1:"); i >= 0 {
				url = strings.Fields(out.String()[i:])[0]
			}
		}
		if url == "" {
			t.Fatalf("no address printed: %q %q", out.String(), errOut.String())
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "leadstatus-ui-*")); len(left) != 1 {
			t.Fatalf("upload folders while serving: %v", left)
		}
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		resp, err := client.Get(url) // redeems the token, follows the redirect to the page
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("open the link: %v %v", err, resp)
		}
		resp.Body.Close()
		resp, err = client.Get(url[:strings.Index(url, "/?")] + "/api/state")
		if err != nil {
			t.Fatal(err)
		}
		var state struct {
			Mock     bool `json:"mock"`
			SignedIn bool `json:"signed_in"`
		}
		json.NewDecoder(resp.Body).Decode(&state)
		resp.Body.Close()
		if !state.SignedIn || state.Mock {
			t.Errorf("state %+v: want signed in with the environment's credentials, not the fake", state)
		}

		interrupt()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("ui after Ctrl-C: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("ui did not stop on Ctrl-C")
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "leadstatus-ui-*")); len(left) != 0 {
			t.Errorf("upload folders left after Ctrl-C: %v", left)
		}
		if strings.Contains(out.String()+errOut.String(), key) {
			t.Error("the API key was printed")
		}
	})
}

// TestNoArgumentsOutsideATerminal: double-clicked (no arguments, standard
// input not a terminal, or a console window of its own on Windows), the
// program serves the page, opens it and says how to stop; typed in a
// terminal with no arguments, it prints the usage as before.
func TestNoArgumentsOutsideATerminal(t *testing.T) {
	tests := []struct {
		name                  string
		inTerminal, ownWindow bool
		serves                bool
	}{
		{"file manager", false, false, true},
		{"Windows Explorer", true, true, true},
		{"terminal", true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir()) // reports go to the current folder
			t.Setenv("TMPDIR", t.TempDir())
			sys, _, _ := testIO(map[string]string{"NUTSHELL_USERNAME": user, "NUTSHELL_API_KEY": key})
			var out, errOut syncBuffer
			sys.Out, sys.Err = &out, &errOut
			sys.InTerminal, sys.OwnWindow = tt.inTerminal, tt.ownWindow
			stop, interrupt := context.WithCancel(context.Background())
			defer interrupt()
			opened := make(chan string, 1)
			sys.OpenURL = func(url string) error { opened <- url; return nil }
			done := make(chan error, 1)
			go func() { done <- Run(context.Background(), stop, nil, sys) }()
			if !tt.serves {
				if err := <-done; ExitCode(err) != ExitUsage || !strings.Contains(errOut.String(), "no command given") {
					t.Errorf("exit %d, %q", ExitCode(err), errOut.String())
				}
				return
			}
			select {
			case url := <-opened:
				if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.Contains(out.String(), url) {
					t.Errorf("opened %q; printed %q", url, out.String())
				}
			case err := <-done:
				t.Fatalf("returned %v without serving: %s", err, errOut.String())
			case <-time.After(10 * time.Second):
				t.Fatal("no page opened")
			}
			if !strings.Contains(errOut.String(), "To stop leadstatus, close this window or press Ctrl-C.") {
				t.Errorf("how to stop is not said: %q", errOut.String())
			}
			interrupt()
			if err := <-done; err != nil {
				t.Errorf("after Ctrl-C: %v", err)
			}
		})
	}
}
