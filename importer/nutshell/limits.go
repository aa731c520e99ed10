package nutshell

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// Shortcut is a way of reading that Nutshell's published document does not
// declare but public client code shows working. Each has a declared way
// behind it, used once a server refuses or ignores the shortcut.
type Shortcut int

const (
	// CommaIDs reads several entities in one GET /leads/a,b,c (the same for
	// product and competitor maps); declared: one ID per read.
	CommaIDs Shortcut = iota
	// LeadFilter lists one lead's competitor maps with
	// GET /competitormaps?filter[lead]=ID; GET /competitormaps declares no
	// parameters.
	LeadFilter
	// Paging pages the catalogue lists with page[page] and page[limit],
	// declared on GET /leads only; declared: the list read whole.
	Paging
	// NumberFilter finds a lead by number with GET /leads?filter[number]=N;
	// declared: the search, GET /leads?q=N.
	NumberFilter
	// CommaNumbers finds several leads by number in one
	// GET /leads?filter[number]=N,M; declared: one number per look-up.
	CommaNumbers
	shortcuts
)

// Explain says what a run does without the shortcut, for people.
func (s Shortcut) Explain() string {
	switch s {
	case CommaIDs:
		return "this server does not accept several IDs in one read: leads and maps read one at a time"
	case LeadFilter:
		return "this server does not list a lead's competitor maps by filter: they are read from the lead and each map by ID"
	case NumberFilter:
		return "this server does not filter leads by number: lead numbers are found by search"
	case CommaNumbers:
		return "this server does not find several lead numbers in one read: lead numbers looked up one at a time"
	case Paging:
		return "this server does not page the catalogue lists: each read whole"
	}
	return "unknown shortcut"
}

// Limits is what one run learnt of its server: every shortcut is tried
// until the server first refuses or ignores it, then the declared way is
// used for the rest of the run. It is safe for concurrent use; the zero
// value allows every shortcut.
type Limits struct {
	mu      sync.Mutex
	refused [shortcuts]bool
	order   []Shortcut
	learnt  func(Shortcut) // called once per shortcut refused
}

// NewLimits returns Limits that call learnt (if not nil) the first time a
// shortcut is refused.
func NewLimits(learnt func(Shortcut)) *Limits { return &Limits{learnt: learnt} }

// Allowed reports whether the shortcut is still worth trying. A nil Limits
// allows everything.
func (l *Limits) Allowed(s Shortcut) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.refused[s]
}

// Refuse records that the server refused or ignored the shortcut.
func (l *Limits) Refuse(s Shortcut) {
	if l == nil {
		return
	}
	l.mu.Lock()
	first := !l.refused[s]
	l.refused[s] = true
	if first {
		l.order = append(l.order, s)
	}
	l.mu.Unlock()
	if first && l.learnt != nil {
		l.learnt(s)
	}
}

// Learnt says, in the order learnt, what the run does without each shortcut
// the server refused.
func (l *Limits) Learnt() []string {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, len(l.order))
	for i, s := range l.order {
		out[i] = s.Explain()
	}
	return out
}

// Refused reports whether err is a server's refusal of a form of request
// (400, 404, 405, 501): for an undeclared form it says the server does not
// take that form, not that what was asked for is wrong.
func Refused(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.StatusCode {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return true
	}
	return false
}

// Batches cleans ids (blank IDs skipped, duplicates asked once) and splits
// them into batches for a read of path/a,b,c: at most size IDs (1 when the
// server reads one at a time) and about 6 KB of URL each.
func (c *Client) Batches(path string, ids []string, size int) [][]string {
	var uniq []string
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		id, err := cleanID("", id)
		if err != nil || seen[id] {
			continue
		}
		seen[id] = true
		uniq = append(uniq, id)
	}
	budget := max(maxURLBytes-len(c.base)-len(path)-1, 1)
	return chunkIDs(uniq, max(min(size, maxBatchIDs), 1), budget)
}

// ProductMaps reads product maps by ID with GET /productmaps/a,b,c (one ID
// is the declared form). Maps that do not exist are absent; a read of which
// none exists is an *Error wrapping ErrNotFound.
func (c *Client) ProductMaps(ctx context.Context, ids []string) ([]LeadProductMap, error) {
	return byIDs[LeadProductMap](ctx, c, "product map", "/productmaps/", "productMaps", ids)
}

// CompetitorMapsByID reads competitor maps by ID with
// GET /competitormaps/a,b,c (one ID is the declared form), as ProductMaps.
func (c *Client) CompetitorMapsByID(ctx context.Context, ids []string) ([]CompetitorMap, error) {
	return byIDs[CompetitorMap](ctx, c, "competitor map", "/competitormaps/", "competitorMaps", ids)
}

func byIDs[T any](ctx context.Context, c *Client, what, path, key string, ids []string) ([]T, error) {
	op := "get " + what + " " + ids[0]
	if len(ids) > 1 {
		op = fmt.Sprintf("get %d %ss from %s", len(ids), what, ids[0])
	}
	a, err := c.do(ctx, request{op: op, method: http.MethodGet, path: path + joinIDs(ids)})
	if err != nil {
		return nil, err
	}
	items, _, err := decodeList[T](a.body, key)
	if err != nil {
		return nil, c.shapeError(op, http.MethodGet, a, err)
	}
	return items, nil
}

// SameID reports whether two IDs name the same entity, allowing for the
// plain-integer form the API also accepts ("1006" and "1006-leads").
func SameID(a, b string) bool { return sameID(strings.TrimSpace(a), strings.TrimSpace(b)) }
