package sheet

import (
	"bytes"
	"slices"
	"testing"
)

func report() Report {
	return Report{Sheet: "利润表", Preamble: []string{"利润表", "=HYPERLINK(1) 编制单位"},
		Header: []string{"类别", "科目编码", "科目名称", "本期金额"},
		Rows: [][]Cell{
			{Text("收入"), Text("5001"), Text("主营业务收入"), Amount(110184)},
			{Text("净利润"), Text(""), Text(""), Amount(-5)},
		}}
}

// TestReportCSV: the preamble, a blank line, the header and the rows, every
// record as wide as the header, amounts as two-decimal yuan, and text a
// spreadsheet would run defused.
func TestReportCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReport(&buf, CSV, report()); err != nil {
		t.Fatal(err)
	}
	want := "\xef\xbb\xbf利润表,,,\n'=HYPERLINK(1) 编制单位,,,\n,,,\n类别,科目编码,科目名称,本期金额\n收入,5001,主营业务收入,1101.84\n净利润,,,-0.05\n"
	if buf.String() != want {
		t.Fatalf("CSV:\n%q\nwant\n%q", buf.String(), want)
	}
}

// TestReportXLSX: the same report reads back with amounts shown as #,##0.00.
func TestReportXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReport(&buf, XLSX, report()); err != nil {
		t.Fatal(err)
	}
	got, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	lines := append([][]string{got.Header}, got.Rows...)
	if len(lines) != 5 || lines[0][0] != "利润表" || !slices.Equal(lines[2], report().Header) ||
		!slices.Equal(lines[3], []string{"收入", "5001", "主营业务收入", "1,101.84"}) || lines[4][3] != "-0.05" {
		t.Fatalf("read back %q", lines)
	}
}
