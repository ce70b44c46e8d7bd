package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// badValueField finds the field whose value failed the type's own parsing
// (a malformed UUID or time inside an otherwise valid body). encoding/json
// returns such errors without the field's name, so the body is read again
// as plain JSON and each value headed for a type that parses itself is
// tried alone, walking dst's type. It returns the field path, as the
// validator names fields (lines[2].sku_id), and what the value must be.
func badValueField(body []byte, t reflect.Type) (field, message string, ok bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return "", "", false
	}
	return walkBadValue(t, v, "", 0)
}

func walkBadValue(t reflect.Type, v any, path string, depth int) (string, string, bool) {
	if depth > 32 || v == nil {
		return "", "", false
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if parsesItself(t) {
		raw, _ := json.Marshal(v)
		if json.Unmarshal(raw, reflect.New(t).Interface()) != nil {
			return path, "must be " + jsonType(t), true
		}
		return "", "", false
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, isObj := v.(map[string]any)
		if !isObj {
			return "", "", false
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				if p, m, ok := walkBadValue(f.Type, v, path, depth+1); ok {
					return p, m, true
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			if fv, present := obj[name]; present {
				if p, m, ok := walkBadValue(f.Type, fv, join(path, name), depth+1); ok {
					return p, m, true
				}
			}
		}
	case reflect.Slice, reflect.Array:
		arr, isArr := v.([]any)
		if !isArr {
			return "", "", false
		}
		for i, ev := range arr {
			if p, m, ok := walkBadValue(t.Elem(), ev, fmt.Sprintf("%s[%d]", path, i), depth+1); ok {
				return p, m, true
			}
		}
	case reflect.Map:
		obj, isObj := v.(map[string]any)
		if !isObj {
			return "", "", false
		}
		for k, ev := range obj {
			if p, m, ok := walkBadValue(t.Elem(), ev, join(path, k), depth+1); ok {
				return p, m, true
			}
		}
	}
	return "", "", false
}

func parsesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(textUnmarshaler) || p.Implements(jsonUnmarshaler)
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
