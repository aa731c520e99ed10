package nutshell

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// errShape is wrapped when a JSON answer holds neither a list under the
// expected key, nor a bare array, nor a single entity.
var errShape = errors.New("unexpected JSON shape")

// pageInfo is what an answer says about further pages.
type pageInfo struct {
	total   int  // total entities across pages; -1 if not given
	hasLink bool // the answer has pagination links
	next    bool // and one of them points to a next page
}

// decodeList accepts the shapes the API uses for lists: an object with the
// list under key (matched without regard to case) and maybe "meta" and
// "links", a bare array, or a single entity object.
func decodeList[T any](body []byte, key string) ([]T, pageInfo, error) {
	info := pageInfo{total: -1}
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		var items []T
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, info, err
		}
		return items, info, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, info, err
	}
	if obj == nil {
		return nil, info, fmt.Errorf("%w: null instead of %q", errShape, key)
	}
	info = readPageInfo(obj)
	raw, ok := field(obj, key)
	if !ok {
		if _, isEntity := obj["id"]; !isEntity {
			return nil, info, fmt.Errorf("%w: no %q list", errShape, key)
		}
		raw = body
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
		return nil, info, nil
	case raw[0] == '{':
		var one T
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, info, err
		}
		return []T{one}, info, nil
	}
	var items []T
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, info, err
	}
	return items, info, nil
}

// field finds key in obj, exactly or else without regard to case
// ("competitorMaps" or "competitormaps").
func field(obj map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	if v, ok := obj[key]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// readPageInfo reads a total from "meta" and a next link from "links" or
// "meta", under the names such APIs commonly use.
func readPageInfo(obj map[string]json.RawMessage) pageInfo {
	info := pageInfo{total: -1}
	var meta map[string]any
	if raw, ok := field(obj, "meta"); ok {
		_ = json.Unmarshal(raw, &meta) // a meta that is not an object says nothing about pages
	}
	for _, k := range []string{"total", "totalCount", "total_count", "totalItems"} {
		if n, ok := meta[k].(float64); ok && n >= 0 {
			info.total = int(n)
			break
		}
	}
	var links map[string]any
	if raw, ok := field(obj, "links"); ok {
		_ = json.Unmarshal(raw, &links)
	}
	if pl, ok := meta["links"].(map[string]any); ok && links == nil {
		links = pl
	}
	for _, k := range []string{"next", "nextPage", "next_page"} {
		if _, ok := links[k]; ok {
			info.hasLink = true
		}
		if s, ok := links[k].(string); ok && s != "" {
			info.next = true
		}
	}
	return info
}
