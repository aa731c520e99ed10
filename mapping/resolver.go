package mapping

import (
	"errors"
	"strconv"
	"strings"
)

// Resolver resolves names that only the API knows. The caller implements it,
// typically over catalogues fetched once per run (see Catalog). Mapping
// normalises IDs and bare integers itself and calls the Resolver with full IDs
// (to check them) and names.
type Resolver interface {
	// Outcome resolves a full ID ("2-outcomes") or an outcome name.
	Outcome(ref string) (Outcome, error)
	// Product resolves a full ID or a product name to a product ID.
	Product(ref string) (string, error)
	// CompetitorMap resolves a full ID, a competitor's ID ("1-competitors") or
	// a competitor's name to the ID of the competitor map that links that
	// competitor to the given lead.
	CompetitorMap(lead, ref string) (string, error)
	// LeadByNumber resolves the lead number users see to the lead's ID.
	LeadByNumber(number string) (string, error)
}

// Outcome is one of the account's lead outcomes.
type Outcome struct {
	ID     string // "2-outcomes"
	Name   string // "Won"
	Status string // what the outcome closes a lead as: "won", "lost" or "cancelled"
}

// ErrUnchecked is wrapped by a Resolver's error when it could not check a name
// or ID, e.g. in a dry run without credentials. Such a row stays valid: its
// body shows the name in angle brackets ("<Won>") and its note lists what was
// not checked.
var ErrUnchecked = errors.New("not checked against Nutshell")

// NameError reports a name or ID that a catalogue does not know, or a name
// that several entries share.
type NameError struct {
	Kind      string // "outcome", "product", "competitor", "lead number"
	Name      string // as written in the cell
	Ambiguous bool   // several entries have this name; Candidates are their IDs
	// Candidates are the closest known names (up to 5), all known outcome
	// names, the competitors a lead does have, or for Ambiguous the IDs to
	// choose from.
	Candidates []string
	// Lead is set for competitors: the lead the map was looked up for.
	Lead string
	// Closest are, for an outcome, the known names closest to Name, as
	// products suggest theirs ("Canceled" suggests "Cancelled").
	Closest []string
}

// Error says what is wrong and what the candidates are.
func (e *NameError) Error() string {
	list := strings.Join(e.Candidates, ", ")
	switch {
	case e.Ambiguous:
		return e.Kind + " " + strconv.Quote(e.Name) + " is ambiguous: several have that name (" + list + "); use the ID instead"
	case e.Lead != "":
		what := "for " + strconv.Quote(e.Name)
		if _, ok := idNumber(e.Name, entCompetitorMap); ok {
			what = e.Name
		} else if _, _, ok := competitorID(e.Name); ok {
			what = "for competitor " + e.Name
		}
		if len(e.Candidates) == 0 {
			return "lead " + e.Lead + " has no competitor map " + what + " (it has no competitors); add the competitor to the lead in Nutshell first"
		}
		return "lead " + e.Lead + " has no competitor map " + what + "; its competitors are: " + list
	case e.Kind == "outcome":
		if len(e.Candidates) == 0 {
			return "unknown outcome " + strconv.Quote(e.Name) + "; the account has no outcomes"
		}
		if len(e.Closest) > 0 {
			return "unknown outcome " + strconv.Quote(e.Name) + "; did you mean " + quoteList(e.Closest) + "? Known outcomes: " + list
		}
		return "unknown outcome " + strconv.Quote(e.Name) + "; known outcomes: " + list
	case len(e.Candidates) > 0:
		return "unknown " + e.Kind + " " + strconv.Quote(e.Name) + "; did you mean: " + list + "?"
	}
	return "unknown " + e.Kind + " " + strconv.Quote(e.Name) + "; check it in Nutshell"
}

// UncheckedResolver returns a Resolver for runs without access to the API:
// full IDs pass as valid, and every name (and every lead number) is answered
// with an error wrapping ErrUnchecked.
func UncheckedResolver() Resolver { return unchecked{} }

type unchecked struct{}

func (unchecked) Outcome(ref string) (Outcome, error) {
	if _, ok := idNumber(ref, entOutcome); ok {
		return Outcome{ID: ref}, nil
	}
	return Outcome{}, uncheckedError("outcome", ref)
}

func (unchecked) Product(ref string) (string, error) {
	if _, ok := idNumber(ref, entProduct); ok {
		return ref, nil
	}
	return "", uncheckedError("product", ref)
}

func (unchecked) CompetitorMap(_, ref string) (string, error) {
	if _, ok := idNumber(ref, entCompetitorMap); ok {
		return ref, nil
	}
	return "", uncheckedError("competitor", ref)
}

func (unchecked) LeadByNumber(number string) (string, error) {
	return "", uncheckedError("lead number", number)
}

// uncheckedErr says which name could not be checked.
type uncheckedErr struct{ kind, name string }

func (e *uncheckedErr) Error() string {
	return e.kind + " " + strconv.Quote(e.name) + " not checked against Nutshell"
}

func (e *uncheckedErr) Unwrap() error { return ErrUnchecked }

func uncheckedError(kind, name string) error { return &uncheckedErr{kind, name} }
