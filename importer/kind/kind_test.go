package kind

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"testing"
)

// declared reads every constant of type Kind from kind.go, so a kind added
// to the list without a row in the table fails the test.
func declared(t *testing.T) map[string]Kind {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "kind.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Kind{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Kind" {
				continue
			}
			for i, name := range v.Names {
				text, err := strconv.Unquote(v.Values[i].(*ast.BasicLit).Value)
				if err != nil {
					t.Fatal(err)
				}
				out[name.Name] = Kind(text)
			}
		}
	}
	if len(out) < 50 {
		t.Fatalf("read %d kinds from kind.go; the list has more", len(out))
	}
	return out
}

func TestEveryKindHasOneRowOfTheTable(t *testing.T) {
	word := regexp.MustCompile(`^[a-z]+(_[a-z0-9]+)*$`)
	texts, labels := map[Kind]string{}, map[string]Kind{}
	for name, k := range declared(t) {
		label, _, known := k.facts()
		switch {
		case !known:
			t.Errorf("%s (%q) has no row in the table", name, k)
		case !word.MatchString(string(k)):
			t.Errorf("%s is %q, not a snake_case word", name, k)
		case texts[k] != "":
			t.Errorf("%s and %s are both %q", name, texts[k], k)
		case labels[label] != "":
			t.Errorf("%s and %s are both named %q", k, labels[label], label)
		case label == "" || k.Label() != label:
			t.Errorf("%s is labelled %q, Label says %q", k, label, k.Label())
		}
		texts[k], labels[label] = name, k
	}
}

// TestDoneKinds are the skips README's exit code 0 lists: already as asked,
// succeeded in the --resume report, closed while --skip-closed was given, or
// mapped to skip; and, for an undo, nothing left to undo.
func TestDoneKinds(t *testing.T) {
	want := map[Kind]bool{AlreadyDone: true, SucceededEarlier: true, SkipClosed: true, SkippedByValue: true, NothingLeft: true}
	for name, k := range declared(t) {
		if k.Done() != want[k] {
			t.Errorf("%s.Done() = %v, want %v", name, k.Done(), want[k])
		}
	}
}

func TestLabels(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		want string
	}{
		{UnknownOutcome, "unknown outcome"},
		{DoneByEarlier, "done by earlier report"},
		{Refused(422), "refused 422"},
		{Refused(404), "refused 404"},
		{Kind("not_sent"), "not sent"}, // a result standing in for a missing kind
	} {
		if got := tc.kind.Label(); got != tc.want {
			t.Errorf("%q.Label() = %q, want %q", tc.kind, got, tc.want)
		}
	}
	if Refused(422) != "refused_422" || Refused(422).Done() {
		t.Errorf("Refused(422) is %q, done %v; want refused_422, not done", Refused(422), Refused(422).Done())
	}
}
