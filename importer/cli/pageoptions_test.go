package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadstatus/leadstatus/importer"
	"github.com/leadstatus/leadstatus/importer/fake"
	"github.com/leadstatus/leadstatus/importer/nutshell"
	"github.com/leadstatus/leadstatus/importer/ui"
)

// pageClient is a browser signed in to a page started in the test.
type pageClient struct {
	t    *testing.T
	base string
	http *http.Client
}

func (c *pageClient) do(method, path, contentType string, body io.Reader) []byte {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, body)
	req.Header.Set("Origin", c.base)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		c.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return b
}

func (c *pageClient) post(path string, v any) int {
	c.t.Helper()
	b, _ := json.Marshal(v)
	var job struct{ ID int }
	json.Unmarshal(c.do(http.MethodPost, path, "application/json", bytes.NewReader(b)), &job)
	return job.ID
}

func (c *pageClient) wait(id int) {
	c.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var job struct{ Running bool }
		json.Unmarshal(c.do(http.MethodGet, fmt.Sprintf("/api/jobs/%d", id), "", nil), &job)
		if !job.Running {
			return
		}
	}
	c.t.Fatalf("run %d did not finish", id)
}

// TestPageOptionsAreTheCommandLines: for the same choices (a check that
// also updates closed leads, a pilot, the rest, an undo), the page's options
// are field by field those leadstatus import builds from the command line
// the page records for them, with every default applied; no field of the
// page's is left at a zero that means something else.
func TestPageOptionsAreTheCommandLines(t *testing.T) {
	forEachKindInTurn(t, func(t *testing.T, kind fake.Kind) {
		base, _ := fakeURL(t, withKind(fake.Options{}, kind))
		client, err := nutshell.New(nutshell.Config{BaseURL: base, Username: user, APIKey: key})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		var mu sync.Mutex
		var runs []importer.Options
		var undos []importer.UndoOptions
		ln, err := ui.Listen("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv, err := ui.New(context.Background(), ln, ui.Config{
			Dir: dir, Client: client, TempDir: t.TempDir(),
			Run: func(ctx context.Context, o importer.Options) (*importer.Summary, error) {
				mu.Lock()
				runs = append(runs, o)
				mu.Unlock()
				return importer.Run(ctx, o)
			},
			Undo: func(ctx context.Context, o importer.UndoOptions) (*importer.Summary, error) {
				mu.Lock()
				undos = append(undos, o)
				mu.Unlock()
				return importer.Undo(ctx, o)
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		stop, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- srv.Serve(stop) }()
		defer func() { cancel(); <-served }()

		jar, _ := cookiejar.New(nil)
		c := &pageClient{t: t, base: srv.URL()[:strings.Index(srv.URL(), "/?")], http: &http.Client{Jar: jar}}
		c.do(http.MethodGet, strings.TrimPrefix(srv.URL(), c.base), "", nil)
		data, err := os.ReadFile(filepath.Join("..", "..", "samples", "quarter-end.csv"))
		if err != nil {
			t.Fatal(err)
		}
		// The first 30 rows: the page goes at its default pace, and the
		// options, not the rows, are what is compared.
		data = bytes.Join(bytes.SplitAfter(data, []byte("\n"))[:31], nil)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "quarter-end.csv")
		fw.Write(data)
		mw.Close()
		c.do(http.MethodPost, "/api/file", mw.FormDataContentType(), &body)
		c.wait(c.post("/api/check", map[string]bool{"update_closed": true, "decimal_comma": true}))
		pilot := c.post("/api/send", map[string]any{"limit": 5})
		c.wait(pilot)
		var left struct{ Left int }
		json.Unmarshal(c.do(http.MethodGet, fmt.Sprintf("/api/jobs/%d", pilot), "", nil), &left)
		rest := c.post("/api/resume", map[string]any{"confirm": left.Left})
		c.wait(rest)
		var plan struct{ Leads int }
		json.Unmarshal(c.do(http.MethodGet, fmt.Sprintf("/api/jobs/%d/undo", rest), "", nil), &plan)
		c.wait(c.post(fmt.Sprintf("/api/jobs/%d/undo", rest), map[string]any{"confirm": plan.Leads}))

		// The command line reads the input by the name the page records.
		t.Chdir(t.TempDir())
		if err := os.WriteFile("quarter-end.csv", data, 0o600); err != nil {
			t.Fatal(err)
		}
		// Fields that are the caller's plumbing, not a choice.
		plumbing := map[string]bool{"Input": true, "InputName": true, "Source": true, "Protected": true, "Client": true,
			"Log": true, "Progress": true, "Stop": true, "Now": true, "Random": true, "ResumeCommand": true, "Args": true}
		typ := reflect.TypeFor[importer.Options]()
		for name := range plumbing {
			if _, ok := typ.FieldByName(name); !ok {
				t.Fatalf("importer.Options has no field %s", name)
			}
		}
		if len(runs) != 3 {
			t.Fatalf("%d runs, want the check, the pilot and the rest", len(runs))
		}
		for _, page := range runs {
			var f importFlags
			sys, _, _ := testIO(nil)
			positional, err := parseArgs(sys, importCommand(&f, DefaultURL), page.Args[1:])
			if err != nil || len(positional) != 1 {
				t.Fatalf("the page's command line %q: %v %v", page.Args, positional, err)
			}
			cli, err := f.options(positional[0], page.Args[1:], sys)
			if err != nil {
				t.Fatal(err)
			}
			got, want := reflect.ValueOf(page.WithDefaults()), reflect.ValueOf(cli.WithDefaults())
			for i := range typ.NumField() {
				name := typ.Field(i).Name
				if plumbing[name] {
					continue
				}
				if g, w := got.Field(i).Interface(), want.Field(i).Interface(); !reflect.DeepEqual(g, w) {
					t.Errorf("%q: %s is %v on the page, %v on the command line", page.Args, name, g, w)
				}
			}
			if page.Source.Sheet != cli.Source.Sheet || page.InputName != positional[0] {
				t.Errorf("%q: sheet %q / %q, input %q / %q", page.Args, page.Source.Sheet, cli.Source.Sheet, page.InputName, positional[0])
			}
		}
		for _, r := range runs {
			if w := r.WithDefaults(); w.Retries != importer.DefaultRetries || !w.UpdateClosed || w.Config == nil {
				t.Errorf("%q: retries %d, update closed %v, config %v", r.Args, w.Retries, w.UpdateClosed, w.Config)
			}
		}
		// One undo of the whole close undoes both reports, with the undo
		// command's defaults.
		if len(undos) != 2 {
			t.Fatalf("%d undos, want one per report of the close", len(undos))
		}
		var uf undoFlags
		if _, err := parseArgs(nil, undoCommand(&uf, DefaultURL), nil); err != nil {
			t.Fatal(err)
		}
		for _, u := range undos {
			page := importer.Options{Workers: u.Workers, Rate: u.Rate, StartRate: u.StartRate, Retries: u.Retries}.WithDefaults()
			cli := importer.Options{Workers: uf.workers, Rate: uf.rate, StartRate: uf.startRate, Retries: retriesOption(uf.retries)}.WithDefaults()
			if page.Workers != cli.Workers || page.Rate != cli.Rate || page.StartRate != cli.StartRate || page.Retries != cli.Retries {
				t.Errorf("undo of %s: page %+v, command line %+v", u.Input, page, cli)
			}
		}
	})
}
