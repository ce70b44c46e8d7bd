package api

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"chainstore/infra/config"
)

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(OpenAPI)
	if err != nil {
		t.Fatalf("api/openapi.yaml does not load: %v", err)
	}
	return doc
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := loadOpenAPI(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("api/openapi.yaml is not a valid OpenAPI 3 document: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		t.Errorf("openapi = %q, want 3.0.x", doc.OpenAPI)
	}
}

// fiberParam matches a Fiber path parameter segment (":id", ":id?").
var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)\??`)

// registeredRoutes lists "METHOD /path" for every route of the app, with
// Fiber's :param written as OpenAPI's {param}.
func registeredRoutes(t *testing.T) map[string]bool {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	app := New(Deps{Config: cfg})
	skip := map[string]bool{"HEAD": true, "OPTIONS": true, "USE": true, "CONNECT": true, "TRACE": true}
	out := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if skip[r.Method] {
			continue
		}
		path := fiberParam.ReplaceAllString(r.Path, "{$1}")
		if len(path) > 1 {
			path = strings.TrimSuffix(path, "/")
		}
		out[r.Method+" "+path] = true
	}
	if len(out) == 0 {
		t.Fatal("the app registers no routes")
	}
	return out
}

func documentedRoutes(doc *openapi3.T) map[string]bool {
	out := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			out[strings.ToUpper(method)+" "+path] = true
		}
	}
	return out
}

func TestEveryRouteIsDocumented(t *testing.T) {
	doc := loadOpenAPI(t)
	registered := registeredRoutes(t)
	documented := documentedRoutes(doc)

	var missing, stale []string
	for r := range registered {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for r := range documented {
		if !registered[r] {
			stale = append(stale, r)
		}
	}
	slices.Sort(missing)
	slices.Sort(stale)
	if len(missing) > 0 {
		t.Errorf("routes missing from api/openapi.yaml:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(stale) > 0 {
		t.Errorf("operations in api/openapi.yaml that no route serves:\n  %s", strings.Join(stale, "\n  "))
	}
}
