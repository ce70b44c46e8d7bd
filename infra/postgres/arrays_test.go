package postgres

import (
	"testing"

	"github.com/google/uuid"
)

func TestArrays(t *testing.T) {
	a, b := uuid.New(), uuid.New()
	if v, _ := (UUIDs{a, b}).Value(); v != "{"+a.String()+","+b.String()+"}" {
		t.Errorf("UUIDs = %v", v)
	}
	if v, _ := (UUIDs{}).Value(); v != "{}" {
		t.Errorf("empty UUIDs = %v", v)
	}
	if v, _ := (Texts{`a,b`, `q"uote`, `back\slash`, `{}`}).Value(); v != `{"a,b","q\"uote","back\\slash","{}"}` {
		t.Errorf("Texts = %v", v)
	}
	var l UUIDList
	if err := l.Scan("{" + a.String() + "," + b.String() + "}"); err != nil || len(l) != 2 || l[0] != a || l[1] != b {
		t.Errorf("Scan = %v, %v", l, err)
	}
	if err := l.Scan(nil); err != nil || len(l) != 0 {
		t.Errorf("Scan(nil) = %v, %v", l, err)
	}
	if err := l.Scan("{nope}"); err == nil {
		t.Error("Scan accepted a malformed list")
	}
}
