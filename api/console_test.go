package api

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"chainstore/infra/config"
)

const fakeIndex = `<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`

// consoleApp builds the app (no database: these requests never reach one)
// serving the console from dir.
func consoleApp(t *testing.T, dir string) *fiber.App {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		if k == "CONSOLE_DIR" {
			return dir
		}
		return ""
	})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return New(Deps{Config: cfg})
}

// builtConsole is a console build: index.html, one hashed asset and a
// file at the root.
func builtConsole(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", fakeIndex)
	write("assets/index-abc123.js", `console.log("chainstore")`)
	write("favicon.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`)
	return dir
}

type consoleResponse struct {
	status int
	header map[string]string
	body   string
}

func get(t *testing.T, app *fiber.App, method, target string) consoleResponse {
	t.Helper()
	resp, err := app.Test(httptest.NewRequest(method, target, nil), -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	h := map[string]string{}
	for _, k := range []string{"Content-Type", "Cache-Control", "Content-Security-Policy"} {
		h[k] = resp.Header.Get(k)
	}
	return consoleResponse{status: resp.StatusCode, header: h, body: string(body)}
}

func TestConsoleServesIndexAndFallsBackForClientRoutes(t *testing.T) {
	app := consoleApp(t, builtConsole(t))
	for _, target := range []string{"/", "/index.html", "/org/stores", "/org/stores/0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e90?tab=staff", "/login"} {
		r := get(t, app, "GET", target)
		if r.status != 200 || r.body != fakeIndex {
			t.Errorf("GET %s: %d %q, want 200 and index.html", target, r.status, r.body)
			continue
		}
		if r.header["Cache-Control"] != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", target, r.header["Cache-Control"])
		}
		if !strings.HasPrefix(r.header["Content-Type"], "text/html") {
			t.Errorf("GET %s: Content-Type %q", target, r.header["Content-Type"])
		}
		if csp := r.header["Content-Security-Policy"]; csp != consoleCSP {
			t.Errorf("GET %s: CSP %q, want the console's", target, csp)
		}
	}
}

func TestConsoleCachesHashedAssetsForever(t *testing.T) {
	app := consoleApp(t, builtConsole(t))
	r := get(t, app, "GET", "/assets/index-abc123.js")
	if r.status != 200 || r.body != `console.log("chainstore")` {
		t.Fatalf("asset: %d %q", r.status, r.body)
	}
	if r.header["Cache-Control"] != "public, max-age=31536000, immutable" {
		t.Errorf("asset Cache-Control %q", r.header["Cache-Control"])
	}
	if !strings.Contains(r.header["Content-Type"], "javascript") {
		t.Errorf("asset Content-Type %q", r.header["Content-Type"])
	}
	root := get(t, app, "GET", "/favicon.svg")
	if root.status != 200 || root.header["Cache-Control"] != "no-cache" || root.header["Content-Type"] != "image/svg+xml" {
		t.Errorf("unhashed root file: %d %v", root.status, root.header)
	}
}

// A stale page asking for an asset of an older build must get a 404, not
// index.html served as a script.
func TestConsoleMissingAssetIs404(t *testing.T) {
	app := consoleApp(t, builtConsole(t))
	r := get(t, app, "GET", "/assets/index-old999.js")
	if r.status != 404 || r.header["Content-Type"] != "application/problem+json" {
		t.Errorf("missing asset: %d %q %q", r.status, r.header["Content-Type"], r.body)
	}
}

func TestConsoleLeavesTheAPIAlone(t *testing.T) {
	app := consoleApp(t, builtConsole(t))
	cases := []struct {
		method, target string
		status         int
	}{
		{"GET", "/api/v1/no-such-route", 404},
		{"GET", "/api/v1/me", 401}, // a real route still answers itself
		{"GET", "/mp/v1/anything", 404},
		{"GET", "/vendor/v1/anything", 404},
		{"GET", "/webhooks/anything", 404},
		{"GET", "/api", 404},
		{"POST", "/org/stores", 404}, // only GET and HEAD reach the console
	}
	for _, c := range cases {
		r := get(t, app, c.method, c.target)
		if r.status != c.status || r.header["Content-Type"] != "application/problem+json" {
			t.Errorf("%s %s: %d %q, want %d problem+json", c.method, c.target, r.status, r.header["Content-Type"], c.status)
		}
		if r.header["Content-Security-Policy"] != "default-src 'none'; frame-ancestors 'none'" {
			t.Errorf("%s %s: CSP %q, want the API's", c.method, c.target, r.header["Content-Security-Policy"])
		}
	}
	if r := get(t, app, "GET", "/healthz"); r.status != 200 || !strings.Contains(r.body, `"ok"`) {
		t.Errorf("/healthz: %d %q", r.status, r.body)
	}
}

func TestConsoleNotBuiltSaysHowToBuild(t *testing.T) {
	app := consoleApp(t, t.TempDir())
	for _, target := range []string{"/", "/org/stores"} {
		r := get(t, app, "GET", target)
		if r.status != 503 || !strings.Contains(r.body, "make console") {
			t.Errorf("GET %s without a build: %d %q", target, r.status, r.body)
		}
		if !strings.HasPrefix(r.header["Content-Type"], "text/html") || r.header["Cache-Control"] != "no-store" {
			t.Errorf("GET %s without a build: headers %v", target, r.header)
		}
	}
}

func TestConsolePathsCannotLeaveTheBuild(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "dist")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(fakeIndex), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(parent, "secret.txt"), []byte("keys"), 0o644); err != nil {
		t.Fatal(err)
	}
	app := consoleApp(t, dir)
	for _, target := range []string{"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt"} {
		if r := get(t, app, "GET", target); strings.Contains(r.body, "keys") {
			t.Errorf("GET %s escaped the build directory: %d %q", target, r.status, r.body)
		}
	}
}

// The console answers only what no route does, even a route added later.
func TestConsoleYieldsToRoutesAddedLater(t *testing.T) {
	app := consoleApp(t, builtConsole(t))
	app.Get("/late", func(c *fiber.Ctx) error { return c.SendString("late route") })
	if r := get(t, app, "GET", "/late"); r.status != 200 || r.body != "late route" {
		t.Errorf("GET /late: %d %q, want the late route", r.status, r.body)
	}
}
