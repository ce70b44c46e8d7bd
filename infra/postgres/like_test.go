package postgres

import "testing"

func TestEscapeLike(t *testing.T) {
	for in, want := range map[string]string{"50%": `50\%`, "a_b": `a\_b`, `c:\x`: `c:\\x`, "可口可乐": "可口可乐"} {
		if got := EscapeLike(in); got != want {
			t.Errorf("EscapeLike(%q) = %q, want %q", in, got, want)
		}
	}
}
