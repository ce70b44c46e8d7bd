package cache

import (
	"testing"
	"time"
)

func TestLocalExpiresAndStaysBounded(t *testing.T) {
	l := NewLocal[int, string](3)
	now := time.Now()
	l.now = func() time.Time { return now }
	l.Set(1, "a", time.Second)
	if v, ok := l.Get(1); !ok || v != "a" {
		t.Fatalf("Get(1) = %q, %v", v, ok)
	}
	now = now.Add(time.Second)
	if _, ok := l.Get(1); ok {
		t.Fatal("an entry outlived its TTL")
	}
	l.Set(1, "a", time.Minute)
	l.Set(2, "b", time.Minute)
	l.Set(3, "c", time.Minute)
	l.Set(3, "c2", time.Minute) // replacing does not evict
	if v, _ := l.Get(1); v != "a" {
		t.Fatal("replacing a key evicted the others")
	}
	l.Set(4, "d", time.Minute) // full: starts again
	if _, ok := l.Get(1); ok {
		t.Fatal("the map grew past its bound")
	}
	if v, ok := l.Get(4); !ok || v != "d" {
		t.Fatal("the new entry was lost")
	}
	l.Delete(4)
	if _, ok := l.Get(4); ok {
		t.Fatal("Delete kept the entry")
	}
}
