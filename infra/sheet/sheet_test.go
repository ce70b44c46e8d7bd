package sheet

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestCSVRoundTripAndEncodings(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{{"6901234567892", "可口可乐 330ml", "350"}, {"=cmd()", "-5", "x"},
		{"-2+3+cmd|' /C calc'!A0", "+447911123456", "-12.50"}, {"@SUM(1)", "+x", "-"}}
	if err := Write(&buf, CSV, "", []string{"barcode", "name", "price"}, rows); err != nil {
		t.Fatal(err)
	}
	// On disk, every cell a spreadsheet would run is quoted; numbers are not.
	for _, want := range []string{"'=cmd()", "'-2+3+cmd|' /C calc'!A0,", "'@SUM(1)", "'+x", "'-\n", ",-5,", ",+447911123456,", ",-12.50\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the CSV lacks %q:\n%s", want, buf.String())
		}
	}
	got, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Header, []string{"barcode", "name", "price"}) || len(got.Rows) != len(rows) {
		t.Fatalf("got %+v", got)
	}
	// Read undoes the quoting: the file round-trips.
	for i := range rows {
		if !slices.Equal(got.Rows[i], rows[i]) {
			t.Errorf("row %d read back as %q, want %q", i, got.Rows[i], rows[i])
		}
	}
	if got.Column("NAME") != 1 || got.Column("nope") != -1 || got.Cell(0, 7) != "" {
		t.Fatal("column look-up")
	}

	gbk, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("名称,价格\n雪碧,300\n\n , \n"))
	got, err = Read(gbk)
	if err != nil {
		t.Fatal(err)
	}
	if got.Header[0] != "名称" || len(got.Rows) != 1 || got.Rows[0][0] != "雪碧" {
		t.Fatalf("GB18030 CSV read as %+v", got)
	}
}

func TestXLSXRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, XLSX, "商品", []string{"code", "name"}, [][]string{{"A1", "苹果"}, {"A2", "香蕉"}}); err != nil {
		t.Fatal(err)
	}
	got, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 2 || got.Rows[1][1] != "香蕉" || got.Header[0] != "code" {
		t.Fatalf("got %+v", got)
	}
}

func TestUnreadableFiles(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":      nil,
		"broken zip": []byte("PK\x03\x04garbage"),
		"too long":   append([]byte("a\n"), bytes.Repeat([]byte("x"), MaxCellBytes+1)...),
	} {
		if _, err := Read(data); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"))
	f.Add([]byte("\xef\xbb\xbf\"x\"\"y\",z\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := Read(data)
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v is not ErrFormat", err)
			}
			return
		}
		if len(tb.Header) == 0 && len(tb.Rows) > 0 {
			t.Fatal("rows without a header")
		}
	})
}
