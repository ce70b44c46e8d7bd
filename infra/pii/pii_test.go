package pii

import (
	"bytes"
	"crypto/rand"
	"testing"
)

func key() []byte { b := make([]byte, 32); _, _ = rand.Read(b); return b }

func TestEncryptRotatesAndBindsToAAD(t *testing.T) {
	old := Key{ID: "p1", Key: key()}
	b1, err := New([]Key{old}, key())
	if err != nil {
		t.Fatal(err)
	}
	ct := b1.Encrypt("13812345678", "row1/phone")
	if bytes.Contains(ct, []byte("13812345678")) || KeyID(ct) != "p1" {
		t.Fatalf("ciphertext %x", ct)
	}
	b2, _ := New([]Key{{ID: "p2", Key: key()}, old}, key())
	if pt, err := b2.Decrypt(ct, "row1/phone"); err != nil || pt != "13812345678" {
		t.Fatalf("rotated decrypt: %q %v", pt, err)
	}
	if KeyID(b2.Encrypt("x", "a")) != "p2" {
		t.Fatal("new values must use the first key")
	}
	if _, err := b2.Decrypt(ct, "row2/phone"); err != ErrDecrypt {
		t.Fatalf("moved ciphertext opened: %v", err)
	}
	ct[len(ct)-1] ^= 1
	if _, err := b1.Decrypt(ct, "row1/phone"); err != ErrDecrypt {
		t.Fatal("tampered ciphertext opened")
	}
}

func TestNormalizeAndMask(t *testing.T) {
	for in, want := range map[string]string{"138 1234 5678": "13812345678", "+86 138-1234-5678": "13812345678",
		"008613812345678": "13812345678", "+44 20 7946 0958": "+442079460958"} {
		if got, ok := NormalizePhone(in); !ok || got != want {
			t.Errorf("NormalizePhone(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "12345", "2381234567x", "abc", "+0123456789"} {
		if _, ok := NormalizePhone(bad); ok {
			t.Errorf("NormalizePhone(%q) accepted", bad)
		}
	}
	if MaskPhone("13812345678") != "138****5678" || MaskName("张三") != "张*" || MaskName("欧阳娜娜") != "欧***" {
		t.Fatal(MaskPhone("13812345678"), MaskName("张三"))
	}
}

func FuzzDecrypt(f *testing.F) {
	b, _ := New([]Key{{ID: "p1", Key: key()}}, key())
	f.Add(b.Encrypt("13812345678", "a"), "a")
	f.Add([]byte{1, 200}, "")
	f.Fuzz(func(t *testing.T, v []byte, aad string) {
		_, _ = b.Decrypt(v, aad)
		_ = KeyID(v)
	})
}

func FuzzNormalizePhone(f *testing.F) {
	f.Add("+86 138 1234 5678")
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := NormalizePhone(s)
		if ok {
			if q, ok2 := NormalizePhone(p); !ok2 || q != p {
				t.Fatalf("not idempotent: %q -> %q -> %q", s, p, q)
			}
			_ = MaskPhone(p)
		}
	})
}
