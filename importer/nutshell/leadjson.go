package nutshell

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// UnmarshalJSON decodes a lead leniently: the API's own schema gives
// "number" as an integer and shows it as a string, so both are accepted, and
// a field of an unexpected type is left empty instead of failing the answer.
func (l *Lead) UnmarshalJSON(b []byte) error {
	var w struct {
		ID          flexString      `json:"id"`
		Name        flexString      `json:"name"`
		Number      flexString      `json:"number"`
		Status      flexString      `json:"status"`
		ClosedTime  flexString      `json:"closedTime"`
		DeletedTime flexString      `json:"deletedTime"`
		HTMLURL     flexString      `json:"htmlUrl"`
		Links       json.RawMessage `json:"links"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var links struct {
		Outcome flexString `json:"outcome"`
	}
	_ = json.Unmarshal(w.Links, &links) // links that are not an object name no outcome
	n, _ := strconv.ParseInt(string(w.Number), 10, 64)
	*l = Lead{
		ID:          string(w.ID),
		Name:        string(w.Name),
		Number:      n,
		Status:      string(w.Status),
		ClosedTime:  string(w.ClosedTime),
		DeletedTime: string(w.DeletedTime),
		HTMLURL:     string(w.HTMLURL),
		Links:       LeadLinks{Outcome: string(links.Outcome)},
	}
	return nil
}

// flexString takes a JSON string or number as text; anything else is empty.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case b[0] == '-' || ('0' <= b[0] && b[0] <= '9'):
		*f = flexString(b)
	}
	return nil
}
