// Package contract holds requests to Nutshell's published OpenAPI document,
// in tests: Hook plugs a check into fake.Options.CheckRequest, so every test
// that starts a fake fails on a request the document rejects, whether the
// client or the test sent it. It is imported by tests only, so the shipped
// binary carries neither it nor kin-openapi.
//
// The document is a trimmed copy of Nutshell's (testdata/nutshell-openapi.json:
// only the operations the tool uses and the schemas they reference, as
// published). Where it is sloppy or silent, the check follows the observed
// behaviour instead; Exceptions lists each such place.
package contract

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

//go:embed testdata/nutshell-openapi.json
var published []byte

// base is the server the checked document names. Requests are matched by
// their path under /rest, whatever host and port they were sent to.
const base = "http://nutshell.test/rest"

// Checker checks requests and responses against the document with every
// exception applied. It is safe for concurrent use.
type Checker struct {
	*spec

	mu         sync.Mutex
	violations []string
}

// spec is the document, routed, with its exceptions; it is never changed
// once built, so checkers share it.
type spec struct {
	doc        *openapi3.T
	router     routers.Router
	extraQuery map[string][]string // "GET /path" → undeclared query parameters allowed
	filters    map[string][]string // "GET /path" → the only filter[...] keys allowed
}

// loaded is the document with every exception, built once per test binary:
// most tests start a fake, and building it takes some 20 ms.
var loaded = sync.OnceValues(func() (*spec, error) { return build(nil) })

// Load returns a Checker of the document with every exception applied.
func Load() (*Checker, error) {
	s, err := loaded()
	if err != nil {
		return nil, err
	}
	return &Checker{spec: s}, nil
}

// load is Load without the exceptions named in skip, for the test that
// shows each exception matters.
func load(skip []string) (*Checker, error) {
	s, err := build(skip)
	if err != nil {
		return nil, err
	}
	return &Checker{spec: s}, nil
}

// build parses the document and applies the exceptions not in skip.
func build(skip []string) (*spec, error) {
	doc, err := openapi3.NewLoader().LoadFromData(published)
	if err != nil {
		return nil, fmt.Errorf("load Nutshell's OpenAPI document: %w", err)
	}
	c := &spec{extraQuery: make(map[string][]string), filters: make(map[string][]string)}
	for _, e := range Exceptions() {
		if slices.Contains(skip, e.Name) {
			continue
		}
		if e.patch != nil {
			if err := e.patch(doc); err != nil {
				return nil, fmt.Errorf("exception %s: %w", e.Name, err)
			}
		}
		for op, names := range e.query {
			c.extraQuery[op] = append(c.extraQuery[op], names...)
		}
		for op, names := range e.filters {
			c.filters[op] = append(c.filters[op], names...)
		}
	}
	doc.Servers = openapi3.Servers{{URL: base}}
	// The published examples do not all match their schemas ("1234" for an
	// integer); they are documentation, not contract.
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("route Nutshell's OpenAPI document: %w", err)
	}
	c.doc, c.router = doc, router
	return c, nil
}

// Hook loads the document and returns a function for
// fake.Options.CheckRequest that checks each request and keeps the
// violations; when the test ends, each one fails it.
func Hook(tb testing.TB) func(*http.Request, []byte) error {
	tb.Helper()
	c, err := Load()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		for _, v := range c.Violations() {
			tb.Errorf("a request broke Nutshell's published API: %s", v)
		}
	})
	return c.Record
}

// Record checks a request as Check does and keeps a violation for
// Violations.
func (c *Checker) Record(r *http.Request, body []byte) error {
	err := c.Check(r, body)
	if err != nil {
		c.mu.Lock()
		c.violations = append(c.violations, fmt.Sprintf("%s %s: %v", r.Method, r.URL.RequestURI(), err))
		c.mu.Unlock()
	}
	return err
}

// Violations returns the violations Record has kept, in arrival order.
func (c *Checker) Violations() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.violations)
}

// Check reports why the document rejects a request with the given body, or
// nil: its operation, path parameters, query and body.
func (c *Checker) Check(r *http.Request, body []byte) error {
	in, err := c.input(r, body)
	if err != nil {
		return err
	}
	if err := c.undeclaredQuery(in); err != nil {
		return err
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return oneLine(err)
	}
	return nil
}

// CheckResponse reports why the document rejects the answer to a request,
// or nil. Only the answers the document declares (200s) are checked.
func (c *Checker) CheckResponse(r *http.Request, status int, header http.Header, body []byte) error {
	in, err := c.input(r, nil)
	if err != nil {
		return err
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                in.Options,
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return oneLine(err)
	}
	return nil
}

// input finds the operation of a request sent to the fake under /rest.
func (c *Checker) input(r *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	path := r.URL.EscapedPath()
	if !strings.HasPrefix(path, "/rest/") {
		return nil, fmt.Errorf("%s is not under /rest", path)
	}
	u, err := url.Parse(base + strings.TrimPrefix(path, "/rest"))
	if err != nil {
		return nil, fmt.Errorf("path %s: %w", path, err)
	}
	u.RawQuery = r.URL.RawQuery
	req := r.Clone(context.Background())
	req.URL, req.Host, req.RequestURI = u, u.Host, ""
	req.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("the document has no %s %s: %w", r.Method, path, err)
	}
	opts := &openapi3filter.Options{
		// The fake checks credentials itself, with its own answers.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		// A body where none is declared (reopen) is a mistake too.
		RejectWhenRequestBodyNotSpecified: true,
		// One line: the reason and where, not the schema.
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
	}
	return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}, nil
}

// undeclaredQuery refuses query parameters the operation does not declare
// (kin-openapi lets them through), bar those an exception allows. A
// deepObject parameter such as filter declares every filter[...] key,
// unless an exception names the only ones allowed.
func (c *Checker) undeclaredQuery(in *openapi3filter.RequestValidationInput) error {
	op := in.Route.Method + " " + in.Route.Path
	for name := range in.Request.URL.Query() {
		if only, ok := c.filters[op]; ok && strings.HasPrefix(name, "filter[") {
			if !slices.Contains(only, name) {
				return fmt.Errorf("query parameter %q is not a filter %s takes; it takes %s", name, op, strings.Join(only, ", "))
			}
			continue
		}
		if slices.Contains(c.extraQuery[op], name) || declared(in.Route.Operation.Parameters, name) {
			continue
		}
		return fmt.Errorf("query parameter %q is not declared for %s", name, op)
	}
	return nil
}

// declared reports whether a query parameter name is among params.
func declared(params openapi3.Parameters, name string) bool {
	for _, ref := range params {
		p := ref.Value
		if p == nil || p.In != openapi3.ParameterInQuery {
			continue
		}
		if p.Name == name || (p.Style == openapi3.SerializationDeepObject && strings.HasPrefix(name, p.Name+"[") && strings.HasSuffix(name, "]")) {
			return true
		}
	}
	return false
}

// oneLine flattens a validation error to one line for a 400 message.
func oneLine(err error) error {
	var me openapi3.MultiError
	if errors.As(err, &me) && len(me) > 0 {
		err = me[0]
	}
	return errors.New(strings.Join(strings.Fields(err.Error()), " "))
}
