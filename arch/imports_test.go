// Package arch holds the test that keeps the import graph the one DESIGN.md
// draws: main → api → modules → tenant → infra, and between modules only
// the arrows listed in allowed.
package arch

import (
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

// allowed is the whole permitted graph: for each package of ours (path
// without the "chainstore/" prefix; "" is main), the packages of ours it may
// import. "x/..." matches x and everything below it. A package missing from
// this table fails the test, so a new package states its place on purpose.
var allowed = map[string][]string{
	"infra/...":         {"infra/..."},
	"migrations":        {"infra/..."},
	"migrations/testdb": {"migrations", "infra/..."},

	"tenant":       {"infra/..."},
	"tenant/audit": {"tenant", "infra/..."},
	"tenant/authz": {"tenant", "tenant/audit", "infra/..."},
	"tenant/auth":  {"tenant", "tenant/audit", "tenant/authz", "infra/..."},
	"tenant/org":   {"tenant", "tenant/audit", "tenant/authz", "infra/..."},
	"tenant/users": {"tenant", "tenant/audit", "tenant/auth", "tenant/authz", "infra/..."},

	// Modules: each may use the tenant spine and infra, and only the modules
	// named here (DESIGN.md's arrows). No module imports api or another
	// module not listed, so the graph has no cycles and no surprises.
	"modules/catalog":    {"tenant/...", "infra/..."},
	"modules/finance":    {"tenant/...", "infra/..."},
	"modules/billing":    {"tenant/...", "infra/..."},
	"modules/inventory":  {"modules/finance", "tenant/...", "infra/..."},
	"modules/members":    {"modules/finance", "tenant/...", "infra/..."},
	"modules/promotions": {"tenant/...", "infra/..."},
	"modules/pos": {"modules/promotions", "modules/catalog", "modules/inventory", "modules/members", "modules/finance",
		"tenant/...", "infra/..."},

	"api":         {"modules/...", "tenant/...", "infra/..."},
	"api/apitest": {"api", "migrations/testdb", "modules/...", "tenant/...", "infra/..."},
	"bench":       {"api", "migrations", "modules/...", "tenant/...", "infra/..."},
	"demo":        {"api", "modules/...", "tenant/...", "infra/..."},
	"":            {"api", "bench", "demo", "migrations", "infra/..."},
	"arch":        {}, // this test
}

const module = "chainstore"

// TestImportsFollowTheAllowedGraph reads every package's imports with
// `go list` from the module root and fails on any arrow the table does not
// allow.
func TestImportsFollowTheAllowedGraph(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := ours(fields[0])
		graph[pkg] = nil
		for _, imp := range fields[1:] {
			if isOurs(imp) {
				graph[pkg] = append(graph[pkg], ours(imp))
			}
		}
	}
	if len(graph) < 20 {
		t.Fatalf("go list saw only %d packages; is it run from the module?", len(graph))
	}
	for _, v := range violations(graph) {
		t.Error(v)
	}
}

// TestTheCheckCatchesAWrongArrow shows the check failing: finance → members
// runs against DESIGN.md's arrows (members → finance), infra must import
// nothing of ours, tenant no module, and an unlisted package must say where
// it stands.
func TestTheCheckCatchesAWrongArrow(t *testing.T) {
	bad := map[string][]string{
		"modules/finance":   {"modules/members", "tenant"},
		"infra/cache":       {"infra/redisx", "tenant"},
		"tenant/org":        {"modules/catalog"},
		"modules/inventory": {"modules/finance", "api"},
		"modules/newthing":  {"tenant"},
		"modules/members":   {"modules/finance"}, // allowed
	}
	got := violations(bad)
	want := []string{
		"infra/cache imports tenant, which its place in the graph does not allow",
		"modules/finance imports modules/members, which its place in the graph does not allow",
		"modules/inventory imports api, which its place in the graph does not allow",
		"modules/newthing is not in the allowed graph (arch/imports_test.go): add it with the packages it may import",
		"tenant/org imports modules/catalog, which its place in the graph does not allow",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("violations:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// violations lists, sorted, every arrow of graph the table does not allow.
func violations(graph map[string][]string) []string {
	var out []string
	for pkg, imports := range graph {
		rule, ok := ruleFor(pkg)
		if !ok {
			out = append(out, pkg+" is not in the allowed graph (arch/imports_test.go): add it with the packages it may import")
			continue
		}
		for _, imp := range imports {
			if !matchesAny(imp, rule) {
				out = append(out, pkg+" imports "+imp+", which its place in the graph does not allow")
			}
		}
	}
	sort.Strings(out)
	return out
}

// ruleFor finds pkg's entry: its exact path first, else the longest
// "x/..." pattern that covers it.
func ruleFor(pkg string) ([]string, bool) {
	if r, ok := allowed[pkg]; ok {
		return r, true
	}
	best, found := "", false
	for pattern := range allowed {
		if covers(pattern, pkg) && len(pattern) > len(best) {
			best, found = pattern, true
		}
	}
	return allowed[best], found
}

func matchesAny(pkg string, patterns []string) bool {
	for _, p := range patterns {
		if p == pkg || covers(p, pkg) {
			return true
		}
	}
	return false
}

func covers(pattern, pkg string) bool {
	prefix, ok := strings.CutSuffix(pattern, "/...")
	return ok && (pkg == prefix || strings.HasPrefix(pkg, prefix+"/"))
}

func isOurs(path string) bool { return path == module || strings.HasPrefix(path, module+"/") }

func ours(path string) string {
	if path == module {
		return ""
	}
	return strings.TrimPrefix(path, module+"/")
}
