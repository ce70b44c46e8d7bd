package api

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
)

// consoleCSP lets the single-page console run: its own scripts, styles and
// API calls; inline styles, because Ant Design writes its CSS-in-JS into
// <style> tags; data: and blob: images (icons, chart exports). Everything
// else stays refused, as the API's default-src 'none' says.
const consoleCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// apiPrefixes are never the console's: a GET under them that no route
// answered stays the API's 404 problem.
var apiPrefixes = []string{"/api/", "/mp/", "/vendor/", "/webhooks/"}

// apiPaths are the operations endpoints, matched exactly.
var apiPaths = []string{"/api", "/mp", "/vendor", "/webhooks", "/healthz", "/readyz", "/metrics"}

// consoleNotBuilt answers when dir has no index.html, so whoever opens the
// server in a browser learns what to run.
const consoleNotBuilt = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>ChainStore</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto">
<h1>管理后台尚未构建 · The console is not built</h1>
<p>This server serves the API. To serve the web console too, build it from the repository root:</p>
<pre>make console</pre>
<p>then reload this page (the server reads the build from <code>CONSOLE_DIR</code> on each request).
The API is described at <a href="/api/openapi.yaml">/api/openapi.yaml</a>.</p>
</body></html>
`

// mountConsole serves the built console from dir at "/" for what no route
// answers, so the API always wins (even routes added after it, as tests
// do). Hashed files under /assets/ are cached for a year; index.html is
// revalidated on every load, so a deploy shows at once. Any other GET with
// no file behind it answers index.html (the console's router draws the
// page), except under the API prefixes, which keep their problem+json
// 404. The build is read from disk, never embedded, so `go build` works
// without Node and a rebuild needs no restart.
func mountConsole(app *fiber.App, dir string) {
	skip := func(c *fiber.Ctx) bool { return !isConsoleRequest(c) }
	app.Use(compress.New(compress.Config{Next: skip, Level: compress.LevelBestSpeed}), func(c *fiber.Ctx) error {
		if skip(c) {
			return c.Next()
		}
		err := c.Next()
		var unrouted *fiber.Error // Fiber's own "no route matched"
		if !errors.As(err, &unrouted) || unrouted.Code != fiber.StatusNotFound {
			return err
		}
		return serveConsole(c, dir)
	})
}

func isConsoleRequest(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return false
	}
	p := c.Path()
	for _, prefix := range apiPrefixes {
		if strings.HasPrefix(p, prefix) {
			return false
		}
	}
	for _, exact := range apiPaths {
		if p == exact || p == exact+"/" {
			return false
		}
	}
	return true
}

func serveConsole(c *fiber.Ctx, dir string) error {
	c.Set(fiber.HeaderContentSecurityPolicy, consoleCSP)
	index := filepath.Join(dir, "index.html")
	if !isFile(index) {
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Status(fiber.StatusServiceUnavailable).SendString(consoleNotBuilt)
	}
	// path.Clean of a rooted path never climbs above the root, so the
	// file stays inside dir.
	rel := path.Clean("/" + c.Path())
	file := filepath.Join(dir, filepath.FromSlash(rel))
	switch {
	case strings.HasPrefix(rel, "/assets/"):
		if !isFile(file) {
			// A missing hashed file is a stale page asking for an old
			// build: index.html in its place would fail as a script.
			return fiber.ErrNotFound
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		return sendFile(c, file)
	case rel != "/" && rel != "/index.html" && isFile(file):
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return sendFile(c, file)
	default:
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return sendFile(c, index)
	}
}

func sendFile(c *fiber.Ctx, file string) error {
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	c.Type(filepath.Ext(file))
	return c.Status(fiber.StatusOK).Send(body)
}

func isFile(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.Mode().IsRegular()
}
