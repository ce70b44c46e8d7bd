package web

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/problem"
)

type sample struct {
	Code     string     `json:"code" validate:"required,code"`
	Name     string     `json:"name" validate:"required,min=1,max=50,text"`
	Type     string     `json:"type" validate:"required,oneof=direct franchise"`
	Count    int64      `json:"count" validate:"min=0"`
	Owner    *uuid.UUID `json:"owner"`
	Tags     []string   `json:"tags" validate:"max=5,dive,text"`
	OpenedAt *time.Time `json:"opened_at"`
	Lines    []line     `json:"lines"`
}

type line struct {
	SKU uuid.UUID `json:"sku_id"`
	Qty int64     `json:"qty"`
}

func TestDecodeBytes(t *testing.T) {
	cases := map[string]struct {
		body   string
		status int // 0 = ok
		field  string
	}{
		"valid":          {body: `{"code":"A1","name":"门店","type":"direct","tags":["早班"]}`},
		"malformed":      {body: `{"code":`, status: 400},
		"array":          {body: `[1]`, status: 400},
		"trailing":       {body: `{"code":"A1","name":"n","type":"direct"}x`, status: 400},
		"unknown field":  {body: `{"code":"A1","name":"n","type":"direct","x":1}`, status: 422, field: "x"},
		"wrong type":     {body: `{"code":"A1","name":"n","type":"direct","count":"7"}`, status: 422, field: "count"},
		"bad uuid":       {body: `{"code":"A1","name":"n","type":"direct","owner":"nope"}`, status: 422, field: "owner"},
		"nested uuid":    {body: `{"code":"A1","name":"n","type":"direct","lines":[{"sku_id":"` + uuid.NewString() + `","qty":1},{"sku_id":"12-34","qty":2}]}`, status: 422, field: "lines[1].sku_id"},
		"bad time":       {body: `{"code":"A1","name":"n","type":"direct","opened_at":"yesterday"}`, status: 422, field: "opened_at"},
		"uuid as number": {body: `{"code":"A1","name":"n","type":"direct","owner":7}`, status: 422, field: "owner"},
		"missing":        {body: `{}`, status: 422, field: "code"},
		"control char":   {body: `{"code":"A1","name":"a\u0007b","type":"direct"}`, status: 422, field: "name"},
		"nested invalid": {body: `{"code":"A1","name":"n","type":"direct","tags":["ok","\u0000"]}`, status: 422, field: "tags[1]"},
	}
	for name, c := range cases {
		var s sample
		err := DecodeBytes([]byte(c.body), &s)
		if c.status == 0 {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		p, ok := problem.As(err)
		if !ok || p.Status != c.status {
			t.Errorf("%s: err %v, want status %d", name, err, c.status)
			continue
		}
		if c.field != "" {
			found := false
			for _, f := range p.Fields {
				found = found || f.Field == c.field
			}
			if !found {
				t.Errorf("%s: no error for field %q in %+v", name, c.field, p.Fields)
			}
		}
	}
}

func TestIsText(t *testing.T) {
	for s, want := range map[string]bool{
		"北京朝阳店": true, "Café 👨‍👩‍👧": true, "": true, "tab\there": false, "nul\x00": false, "\xff": false, "\u202eabc": false,
	} {
		if IsText(s) != want {
			t.Errorf("IsText(%q) = %v", s, !want)
		}
	}
}

// FuzzDecodeBytes: any body either decodes and validates or comes back as a
// 4xx *problem.Error; never a panic, never another error type.
func FuzzDecodeBytes(f *testing.F) {
	for _, seed := range []string{
		`{"code":"A1","name":"门店","type":"direct"}`, `{`, `[]`, `null`, `{"count":1e999}`, `{"tags":[1,2]}`,
		`{"owner":"00000000-0000-0000-0000-000000000000"}`, "{\"name\":\"\xff\"}", `{"opened_at":"2026-01-01T00:00:00Z"}`,
		`{"code":"A1","name":"n","type":"direct"} {}`, `{"a":{"b":{"c":[[[[]]]]}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var s sample
		err := DecodeBytes(body, &s)
		if err == nil {
			if verr := Validate(&s); verr != nil {
				t.Fatalf("decoded but invalid: %v", verr)
			}
			return
		}
		var p *problem.Error
		if !errors.As(err, &p) {
			t.Fatalf("non-problem error %T: %v", err, err)
		}
		if p.Status < 400 || p.Status > 499 {
			t.Fatalf("status %d for bad input", p.Status)
		}
	})
}
