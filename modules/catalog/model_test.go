package catalog_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestRequestTypesCarryNoGormTags: a request type (…Input) is decoded from
// the client and must never map onto a column (README, "SQL and the GORM
// builder"); handlers and the service choose the columns.
func TestRequestTypesCarryNoGormTags(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	inputs := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fs := token.NewFileSet()
		af, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || !strings.HasSuffix(ts.Name.Name, "Input") {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			inputs++
			for _, fld := range st.Fields.List {
				if fld.Tag == nil {
					continue
				}
				tag, _ := strconv.Unquote(fld.Tag.Value)
				if _, ok := reflect.StructTag(tag).Lookup("gorm"); ok {
					t.Errorf("%s: %s.%s carries a gorm tag", fs.Position(fld.Pos()), ts.Name.Name, fld.Names[0].Name)
				}
			}
			return true
		})
	}
	if inputs < 10 {
		t.Fatalf("found only %d request types; is the test run from the package directory?", inputs)
	}
}
