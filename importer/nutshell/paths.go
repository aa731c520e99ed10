package nutshell

import (
	"fmt"
	"net/url"
	"strings"
)

// Limits of one batched GET /leads/a,b,c.
const (
	maxBatchIDs = 100
	maxURLBytes = 6000 // well under the 8 KB many proxies accept for a request line
)

// escapeID escapes one ID as a path segment; url.PathEscape also escapes
// commas, so an ID can never address several leads.
func escapeID(id string) string { return url.PathEscape(id) }

// cleanID trims an ID and refuses ones that would address something other
// than one entity ("", ".", "..").
func cleanID(op, id string) (string, error) {
	id = strings.TrimSpace(id)
	switch id {
	case "":
		return "", &Error{Op: op, Message: "the lead ID is empty", Kind: KindDefinite}
	case ".", "..":
		return "", &Error{Op: op, Message: fmt.Sprintf("%q is not a lead ID", id), Kind: KindDefinite}
	}
	return id, nil
}

// chunkIDs splits ids into batches of at most maxIDs whose escaped,
// comma-joined form is at most maxLen bytes; an ID too long on its own
// goes alone in its batch.
func chunkIDs(ids []string, maxIDs, maxLen int) [][]string {
	var chunks [][]string
	var cur []string
	size := 0
	for _, id := range ids {
		n := len(escapeID(id))
		if len(cur) > 0 && (len(cur) >= maxIDs || size+1+n > maxLen) {
			chunks = append(chunks, cur)
			cur, size = nil, 0
		}
		if len(cur) > 0 {
			size++ // the comma
		}
		cur = append(cur, id)
		size += n
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks
}

// joinIDs is the batched path segment "a,b,c", each ID escaped on its own.
func joinIDs(ids []string) string {
	esc := make([]string, len(ids))
	for i, id := range ids {
		esc[i] = escapeID(id)
	}
	return strings.Join(esc, ",")
}
