package api_test

import (
	"net/url"
	"testing"
	"time"

	"chainstore/api/apitest"
)

// A request that meets a PostgreSQL outage answers 503 database.unavailable
// with Retry-After, never 500; /readyz says so; and the instance recovers
// by itself when the database is back.
func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	u, err := url.Parse(env.DB.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := apitest.NewProxy(t, u.Host)
	u.Host = proxy.Addr()
	inst := env.Another(t, map[string]string{"DATABASE_URL": u.String()})
	tn := inst.Signup(t)
	list := apitest.Req{Method: "GET", Path: "/api/v1/stores", Token: tn.AdminToken}
	if r := inst.Do(t, list); r.Status != 200 {
		t.Fatalf("before the outage: %d %s", r.Status, r.Body)
	}

	proxy.Cut()
	for _, req := range []apitest.Req{
		list,
		{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{"code": inst.Unique("S"), "name": "门店", "type": "direct"}},
		{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"tenant": tn.Slug, "login": tn.AdminEmail, "password": apitest.Password}},
	} {
		r := inst.Do(t, req)
		if r.Status != 503 || r.Code() != "database.unavailable" || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s during the outage: %d %s (Retry-After %q)", req.Method, req.Path, r.Status, r.Body, r.Header.Get("Retry-After"))
		}
	}
	if r := inst.Do(t, apitest.Req{Method: "GET", Path: "/readyz"}); r.Status != 503 {
		t.Errorf("/readyz during the outage: %d %s", r.Status, r.Body)
	}

	proxy.Restore()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := inst.Do(t, list)
		if r.Status == 200 {
			break
		}
		if r.Status != 503 || time.Now().After(deadline) {
			t.Fatalf("after the outage: %d %s", r.Status, r.Body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r := inst.Do(t, apitest.Req{Method: "GET", Path: "/readyz"}); r.Status != 200 {
		t.Errorf("/readyz after the outage: %d %s", r.Status, r.Body)
	}
}
