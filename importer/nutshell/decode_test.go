package nutshell

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

func TestDecodeListShapes(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		ids     string
		total   int
		next    bool
		wantErr bool
	}{
		// The documented shape: list under the plural key, with meta.
		{name: "wrapped", body: `{"meta":{"total":2},"leads":[{"id":"1-leads"},{"id":"2-leads"}]}`, ids: "[1-leads 2-leads]", total: 2},
		// A bare array.
		{name: "bare array", body: `[{"id":"1-leads"}]`, ids: "[1-leads]", total: -1},
		// A single entity object (what POST /leads/{id}/status returns).
		{name: "entity", body: `{"id":"7-leads","name":"x"}`, ids: "[7-leads]", total: -1},
		// The key under a single object instead of an array.
		{name: "wrapped object", body: `{"leads":{"id":"3-leads"}}`, ids: "[3-leads]", total: -1},
		// The key in another case.
		{name: "key case", body: `{"LEADS":[{"id":"4-leads"}]}`, ids: "[4-leads]", total: -1},
		// A next link says there is more.
		{name: "next link", body: `{"leads":[],"links":{"next":"/leads?page[page]=1"}}`, ids: "[]", total: -1, next: true},
		// An object with neither the key nor an id is not understood.
		{name: "other object", body: `{"products":[]}`, wantErr: true},
		// Not JSON.
		{name: "not JSON", body: `<html></html>`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leads, info, err := decodeList[Lead]([]byte(tt.body), "leads")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			ids := make([]string, len(leads))
			for i, l := range leads {
				ids[i] = l.ID
			}
			if got := fmt.Sprint(ids); got != tt.ids {
				t.Errorf("ids = %s, want %s", got, tt.ids)
			}
			if info.total != tt.total || info.next != tt.next {
				t.Errorf("info = %+v", info)
			}
		})
	}
}

func TestLeadUnmarshalLenient(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Lead
	}{
		// Number as an integer, outcome link present.
		{name: "integer number", body: `{"id":"1-leads","number":1001,"status":"won","links":{"outcome":"2-outcomes"}}`,
			want: Lead{ID: "1-leads", Number: 1001, Status: "won", Links: LeadLinks{Outcome: "2-outcomes"}}},
		// Number as a string, as the API's own example shows it.
		{name: "string number", body: `{"id":"1-leads","number":"1001"}`, want: Lead{ID: "1-leads", Number: 1001}},
		// Fields of unexpected types are left empty instead of failing the answer.
		{name: "odd types", body: `{"id":"1-leads","number":null,"closedTime":{"value":"x"},"links":[]}`, want: Lead{ID: "1-leads"}},
	}
	for _, tt := range tests {
		var got Lead
		if err := json.Unmarshal([]byte(tt.body), &got); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
