package members

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/keys"
)

func FuzzParseImport(f *testing.F) {
	f.Add([]byte("手机号,姓名,生日\n13812345678,张三,1990-01-02\n"))
	f.Add([]byte("phone,tags,marketing_consent\n+4420794609,a;b,是\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs, err := ParseImport(data, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
		if err == nil && len(rows)+len(errs) < 0 {
			t.Fatal("impossible")
		}
	})
}

func FuzzParseQR(f *testing.F) {
	sign, pii, idx := keys.Generate()
	ks, err := keys.Load(sign, pii, idx, "", false)
	if err != nil {
		f.Fatal(err)
	}
	s := New(nil, nil, nil, ks, nil, nil, nil)
	f.Add("AAAA.BBBB")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		if _, _, _, err := s.ParseQR(uuid.Nil, tok); err == nil {
			t.Fatalf("forged token %q accepted", tok)
		}
	})
}
