package api_test

import (
	"bytes"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"chainstore/api/apitest"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "api", &env) }

// Bad input of every kind is a 4xx problem+json and writes nothing.
func TestBadInputIs4xxProblemAndWritesNothing(t *testing.T) {
	tn := env.Signup(t)
	stores := func() int { return env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID) }
	before := stores()
	cases := map[string]struct {
		raw    string
		ctype  string
		status int
	}{
		"malformed JSON":    {raw: `{"code": "A1", "name": `, status: 400},
		"not an object":     {raw: `["code"]`, status: 400},
		"trailing data":     {raw: `{"code":"A1","name":"X","type":"direct"} {"x":1}`, status: 400},
		"empty body":        {raw: ` `, status: 400},
		"wrong types":       {raw: `{"code": 12, "name": ["X"], "type": true}`, status: 422},
		"unknown field":     {raw: `{"code":"A1","name":"X","type":"direct","owner":"me"}`, status: 422},
		"null for required": {raw: `{"code":null,"name":"X","type":"direct"}`, status: 422},
		"sql-ish":           {raw: `{"code":"A1' OR '1'='1","name":"x'); DELETE FROM stores; --","type":"direct"}`, status: 422},
		"NUL in name":       {raw: `{"code":"A1","name":"bad\u0000name","type":"direct"}`, status: 422},
		"bidi control":      {raw: `{"code":"A1","name":"\u202eevil","type":"direct"}`, status: 422},
		"invalid UTF-8":     {raw: "{\"code\":\"A1\",\"name\":\"\xff\xfe\",\"type\":\"direct\"}", status: 422},
		"number for a time": {raw: `{"code":"A1","name":"X","type":"direct","opened_at":1e999}`, status: 422},
		"malformed uuid":    {raw: `{"code":"A1","name":"X","type":"franchise","franchisee_id":"not-a-uuid"}`, status: 422},
		"xml content type":  {raw: `<store/>`, ctype: "application/xml", status: 415},
	}
	for name, c := range cases {
		req := apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, RawBody: []byte(c.raw)}
		if c.ctype != "" {
			req.Header = map[string]string{"Content-Type": c.ctype}
		}
		r := env.Do(t, req)
		if r.Status != c.status {
			t.Errorf("%s: status %d, want %d: %s", name, r.Status, c.status, r.Body)
			continue
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: content type %q", name, ct)
		}
		var p struct {
			Type, Title, Code string
			Status            int
		}
		r.JSON(t, &p)
		if p.Code == "" || p.Title == "" || p.Status != c.status || !strings.HasPrefix(p.Type, "urn:chainstore:problem:") {
			t.Errorf("%s: problem body %s", name, r.Body)
		}
	}
	if after := stores(); after != before {
		t.Fatalf("bad input wrote %d stores", after-before)
	}
	// A valid Chinese name with the same endpoint works: the checks are not over-eager.
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{"code": "OK-1", "name": "南京西路店 «旗舰»", "type": "direct"}})
	if r.Status != 201 {
		t.Fatalf("valid unicode input: %d %s", r.Status, r.Body)
	}
}

func TestFieldErrorsListEveryField(t *testing.T) {
	tn := env.Signup(t)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{"type": "kiosk", "time_zone": "x"}})
	var p struct {
		Errors []struct{ Field, Message string }
	}
	r.JSON(t, &p)
	fields := map[string]bool{}
	for _, e := range p.Errors {
		fields[e.Field] = e.Message != ""
	}
	for _, f := range []string{"code", "name", "type", "time_zone"} {
		if !fields[f] {
			t.Errorf("no error for field %q in %s", f, r.Body)
		}
	}
}

// The body limit is enforced by fasthttp before any handler, so this goes
// through a real listener (app.Test reports the refusal as an error).
func TestOversizeBody413(t *testing.T) {
	tn := env.Signup(t)
	before := env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID)
	ln := newListener(t)
	go func() { _ = env.Server.App.Listener(ln) }()
	big := `{"code":"A1","name":"` + strings.Repeat("x", env.Config.BodyLimit+10) + `","type":"direct"}`
	// The server answers as soon as it reads Content-Length, and may close
	// before the client has written everything: read what it said.
	resp, err := rawPost(ln.Addr().String(), "/api/v1/stores", tn.AdminToken, []byte(big))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || !strings.Contains(string(body), `"code":"request.too_large"`) || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("oversize body: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if after := env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID); after != before {
		t.Fatal("an oversize body wrote a store")
	}
}

func TestUnknownRoute404Problem(t *testing.T) {
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/nope"})
	if r.Status != 404 || r.Code() != "route.not_found" || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("unknown route: %d %s", r.Status, r.Body)
	}
}

func TestPanicIs500ProblemAndServerKeepsServing(t *testing.T) {
	env.Server.App.Get("/test/panic", func(c *fiber.Ctx) error { panic("boom") })
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/test/panic", SkipSpec: true})
	if r.Status != 500 || r.Code() != "internal" || strings.Contains(string(r.Body), "boom") {
		t.Fatalf("panic: %d %s", r.Status, r.Body)
	}
	var p struct {
		RequestID string `json:"request_id"`
	}
	r.JSON(t, &p)
	if p.RequestID == "" || p.RequestID != r.Header.Get("X-Request-Id") {
		t.Fatalf("500 lacks the request id: %s", r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/healthz"}); r.Status != 200 {
		t.Fatalf("after a panic: %d", r.Status)
	}
}

func TestRequestIDSecurityHeadersAndCORS(t *testing.T) {
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/healthz", Header: map[string]string{"X-Request-Id": "trace-123"}})
	if r.Header.Get("X-Request-Id") != "trace-123" {
		t.Errorf("request id not echoed: %q", r.Header.Get("X-Request-Id"))
	}
	r = env.Do(t, apitest.Req{Method: "GET", Path: "/healthz", Header: map[string]string{"X-Request-Id": "bad id\nwith newline"}})
	if id := r.Header.Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
		t.Errorf("unsafe request id kept: %q", id)
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"} {
		if r.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	origin := env.Config.ConsoleOrigins[0]
	req := httptest.NewRequest("OPTIONS", "/api/v1/me", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "GET")
	resp, err := env.Server.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != origin {
		t.Errorf("CORS preflight from the console origin: %d %v", resp.StatusCode, resp.Header)
	}
	req = httptest.NewRequest("OPTIONS", "/api/v1/me", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	resp, _ = env.Server.App.Test(req, -1)
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS allowed a foreign origin")
	}
}

func TestReadyzDegradedWhenRedisDown(t *testing.T) {
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/readyz"}); r.Status != 200 || r.Map(t)["status"] != "ok" {
		t.Fatalf("readyz: %d %s", r.Status, r.Body)
	}
	down := env.Another(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"})
	r := down.Do(t, apitest.Req{Method: "GET", Path: "/readyz"})
	m := r.Map(t)
	if r.Status != 200 || m["status"] != "degraded" {
		t.Fatalf("readyz with Redis down: %d %s", r.Status, r.Body)
	}
	// And a real request still works end to end.
	tn := env.Signup(t)
	if r := down.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores", Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("stores with Redis down: %d", r.Status)
	}
}

func TestMetricsCountRequestsByRouteTemplate(t *testing.T) {
	tn := env.Signup(t)
	s := env.CreateStore(t, tn, nil)
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + s.String(), Token: tn.AdminToken})
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/metrics"})
	body := string(r.Body)
	for _, want := range []string{
		`chainstore_http_requests_total{method="GET",route="/api/v1/stores/:id",status="200"}`,
		`chainstore_http_request_duration_seconds_bucket{method="GET",route="/api/v1/stores/:id",status="200"`,
		`go_sql_max_open_connections{db_name="chainstore"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, s.String()) {
		t.Error("metrics carry a raw path (unbounded label)")
	}
}

func TestOpenAPIServed(t *testing.T) {
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/openapi.yaml"})
	if r.Status != 200 || !bytes.HasPrefix(r.Body, []byte("openapi: 3")) {
		t.Fatalf("openapi: %d %.40s", r.Status, r.Body)
	}
}

// Graceful shutdown: an in-flight request finishes; new connections are refused.
func TestGracefulShutdownDrainsInFlight(t *testing.T) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	release := make(chan struct{})
	app.Get("/slow", func(c *fiber.Ctx) error {
		<-release
		return c.SendString("done")
	})
	ln := newListener(t)
	go func() { _ = app.Listener(ln) }()
	addr := ln.Addr().String()
	got := make(chan string, 1)
	go func() {
		resp, err := httpGet("http://" + addr + "/slow")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	time.Sleep(100 * time.Millisecond)
	done := make(chan error, 1)
	go func() { done <- app.ShutdownWithTimeout(5 * time.Second) }()
	time.Sleep(100 * time.Millisecond)
	close(release)
	if s := <-got; s != "done" {
		t.Fatalf("in-flight request: %q", s)
	}
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

// Every list answers only the caller's tenant: tenant B's stores,
// franchisees, staff, roles and audit rows never appear in tenant A's lists.
func TestListsNeverShowAnotherTenant(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	frB := env.CreateFranchisee(t, b)
	storeB := env.CreateStore(t, b, &frB)
	userB := env.CreateUser(t, b, "cashier", &storeB, nil)
	roleKey := "b_only_" + strings.ToLower(env.Unique("r"))
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/roles", Token: b.AdminToken, Body: map[string]any{
		"key": roleKey, "name": "B", "scope": "chain", "permissions": []string{"stores:read"}}}); r.Status != 201 {
		t.Fatalf("role in B: %d %s", r.Status, r.Body)
	}
	secrets := []string{b.ID.String(), frB.String(), storeB.String(), userB.ID.String(), b.AdminID.String(), roleKey}
	for _, path := range []string{"/api/v1/stores", "/api/v1/franchisees", "/api/v1/users", "/api/v1/roles", "/api/v1/audit-log?limit=200", "/api/v1/me"} {
		r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: a.AdminToken})
		if r.Status != 200 {
			t.Fatalf("%s: %d", path, r.Status)
		}
		for _, s := range secrets {
			if strings.Contains(string(r.Body), s) {
				t.Errorf("tenant A's %s shows tenant B's %s", path, s)
			}
		}
	}
	// The same lists as B do show B's objects: the check above can fail.
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/audit-log?limit=200", Token: b.AdminToken})
	if !strings.Contains(string(r.Body), storeB.String()) {
		t.Fatal("tenant B's own audit log lacks its store")
	}
}

// With METRICS_TOKEN set, /metrics answers only the scraper that sends it.
func TestMetricsTokenGuardsMetrics(t *testing.T) {
	const token = "scrape-me-0123456789"
	guarded := env.Another(t, map[string]string{"METRICS_TOKEN": token})
	if r := guarded.Do(t, apitest.Req{Method: "GET", Path: "/metrics"}); r.Status != 401 || r.Header.Get("WWW-Authenticate") == "" {
		t.Fatalf("no token: %d %s", r.Status, r.Body)
	}
	if r := guarded.Do(t, apitest.Req{Method: "GET", Path: "/metrics", Header: map[string]string{"Authorization": "Bearer wrong"}}); r.Status != 401 {
		t.Fatalf("wrong token: %d", r.Status)
	}
	r := guarded.Do(t, apitest.Req{Method: "GET", Path: "/metrics", Header: map[string]string{"Authorization": "Bearer " + token}})
	if r.Status != 200 || !strings.Contains(string(r.Body), "chainstore_http_requests_total") {
		t.Fatalf("right token: %d", r.Status)
	}
}

// A chain fresh from signup has the units and root categories a Chinese
// supermarket expects, so its first product needs no other setup.
func TestSignupGivesTheChainUnitsAndCategories(t *testing.T) {
	tn := env.Signup(t)
	var units struct {
		Data []struct {
			ID   string `json:"id"`
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"data"`
	}
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/units", Token: tn.AdminToken}).JSON(t, &units)
	byCode := map[string]string{}
	for _, u := range units.Data {
		byCode[u.Code] = u.ID
	}
	for _, code := range []string{"ge", "jian", "ping", "he", "xiang", "dai", "kg"} {
		if byCode[code] == "" {
			t.Errorf("a new chain has no unit %q (units: %+v)", code, units.Data)
		}
	}
	var cats struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/categories", Token: tn.AdminToken}).JSON(t, &cats)
	if len(cats.Data) == 0 {
		t.Fatal("a new chain has no category")
	}
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "P1", "name": "农夫山泉 550ml", "category_id": cats.Data[0].ID, "unit_id": byCode["ping"],
		"skus": []map[string]any{{"code": "P1-1", "name": "农夫山泉 550ml", "barcodes": []string{"6921168509256"}, "prices": map[string]any{"list": 200}}}}})
	if r.Status != 201 {
		t.Fatalf("first product of a new chain: %d %s", r.Status, r.Body)
	}
}
