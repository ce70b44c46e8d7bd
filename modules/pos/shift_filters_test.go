package pos_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/pos"
)

// shiftIDs follows the shift list's cursor from path to its end.
func shiftIDs(t *testing.T, token, path string) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	next := ""
	for {
		p := path
		if next != "" {
			p += "&cursor=" + next
		}
		r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: p, Token: token})
		want(t, r, 200, "")
		var out struct {
			Data       []pos.Shift
			NextCursor *string `json:"next_cursor"`
		}
		r.JSON(t, &out)
		for _, s := range out.Data {
			ids = append(ids, s.ID)
		}
		if out.NextCursor == nil {
			return ids
		}
		next = *out.NextCursor
	}
}

func sameSet(got []uuid.UUID, want ...uuid.UUID) bool {
	a, b := slices.Clone(got), slices.Clone(want)
	less := func(x []uuid.UUID) func(i, j int) bool {
		return func(i, j int) bool { return x[i].String() < x[j].String() }
	}
	sort.Slice(a, less(a))
	sort.Slice(b, less(b))
	return slices.Equal(a, b)
}

// The store's shift list narrows by register, cashier, business dates and
// status, alone and together, across pages; a bad value is a 400 naming
// each bad field; another store's or chain's registers and cashiers match
// nothing, and another chain never sees the store's shifts.
func TestShiftListFilters(t *testing.T) {
	s := newShop(t, env, 1)
	cashier2 := env.CreateUser(t, s.Tenant, "cashier", &s.store, nil)
	reg := s.do(t, http.MethodPost, "/registers", s.AdminToken, map[string]any{"code": "T02", "name": "二号收银机"})
	want(t, reg, 201, "")
	var reg2 pos.RegisterCreated
	reg.JSON(t, &reg2)

	at := func(device, token string) *apitest.Response {
		return env.Do(t, apitest.Req{Method: http.MethodPost, Path: s.path("/shifts"), Token: token, Body: map[string]any{"opening_float": 0},
			Header: map[string]string{pos.RegisterHeader: device}})
	}
	closeAt := func(device, token string) {
		want(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: s.path("/shifts/current/close"), Token: token,
			Body:   map[string]any{"counts": []any{map[string]any{"method": "cash", "counted": 0}}},
			Header: map[string]string{pos.RegisterHeader: device}}), 200, "")
	}
	shiftOf := func(r *apitest.Response) uuid.UUID {
		want(t, r, 201, "")
		var sh pos.Shift
		r.JSON(t, &sh)
		return sh.ID
	}
	sh1 := shiftOf(at(s.device, s.cashier.Token))
	closeAt(s.device, s.cashier.Token)
	sh2 := shiftOf(at(s.device, cashier2.Token))
	closeAt(s.device, cashier2.Token)
	sh3 := shiftOf(at(reg2.DeviceToken, s.cashier.Token)) // left open
	// The server dates a shift by the store's day at opening; spread these
	// over three days (the test has no clock to move).
	for id, d := range map[uuid.UUID]string{sh1: "2024-03-01", sh2: "2024-03-02", sh3: "2024-03-03"} {
		if _, err := env.Owner.Exec(`UPDATE pos_shifts SET business_date = $3 WHERE tenant_id = $1 AND id = $2`, s.ID, id, d); err != nil {
			t.Fatal(err)
		}
	}

	base := s.path("/shifts") + "?limit=1&"
	for _, tc := range []struct {
		name, query string
		want        []uuid.UUID
	}{
		{"no filter", "", []uuid.UUID{sh1, sh2, sh3}},
		{"register 1", "register_id=" + s.register.String(), []uuid.UUID{sh1, sh2}},
		{"register 2", "register_id=" + reg2.ID.String(), []uuid.UUID{sh3}},
		{"cashier", "cashier_id=" + s.cashier.ID.String(), []uuid.UUID{sh1, sh3}},
		{"cashier 2", "cashier_id=" + cashier2.ID.String(), []uuid.UUID{sh2}},
		{"dates inclusive", "from=2024-03-02&to=2024-03-03", []uuid.UUID{sh2, sh3}},
		{"one day", "from=2024-03-01&to=2024-03-01", []uuid.UUID{sh1}},
		{"from only", "from=2024-03-03", []uuid.UUID{sh3}},
		{"to only", "to=2024-03-02", []uuid.UUID{sh1, sh2}},
		{"status", "status=open", []uuid.UUID{sh3}},
		{"combined", "register_id=" + s.register.String() + "&cashier_id=" + s.cashier.ID.String() + "&from=2024-03-01&to=2024-03-02&status=closed", []uuid.UUID{sh1}},
		{"combined, none", "register_id=" + reg2.ID.String() + "&cashier_id=" + cashier2.ID.String(), nil},
		{"manager's token", "cashier_id=" + s.cashier.ID.String() + "&status=closed", []uuid.UUID{sh1}},
	} {
		tok := s.AdminToken
		if strings.HasPrefix(tc.name, "manager") {
			tok = s.manager.Token
		}
		// limit=1: every list of two or three crosses pages with its filter.
		if got := shiftIDs(t, tok, base+tc.query); !sameSet(got, tc.want...) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}

	before := env.Count(t, `SELECT count(*) FROM pos_shifts WHERE tenant_id = $1`, s.ID)
	for _, tc := range []struct {
		query  string
		fields []string
	}{
		{"register_id=T01&cashier_id=me&from=2024-02-30&status=done", []string{"cashier_id", "from", "register_id", "status"}},
		{"from=2024-03-03&to=2024-03-01", []string{"to"}},
		{"to=2024-03-01T00:00:00Z", []string{"to"}},
	} {
		r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: s.path("/shifts") + "?" + tc.query, Token: s.AdminToken})
		want(t, r, 400, "request.bad_query")
		var p struct{ Errors []struct{ Field string } }
		if err := json.Unmarshal(r.Body, &p); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Field)
		}
		sort.Strings(got)
		if !slices.Equal(got, tc.fields) {
			t.Errorf("%s: fields %v, want %v", tc.query, got, tc.fields)
		}
	}
	if after := env.Count(t, `SELECT count(*) FROM pos_shifts WHERE tenant_id = $1`, s.ID); after != before {
		t.Errorf("bad queries changed shifts: %d → %d", before, after)
	}

	// Another store of the chain: its list does not take this store's
	// register; its manager cannot list this store (404, as before).
	store2 := env.CreateStore(t, s.Tenant, nil)
	store2Path := "/api/v1/stores/" + store2.String() + "/pos/shifts?register_id=" + s.register.String()
	if got := shiftIDs(t, s.AdminToken, store2Path); len(got) != 0 {
		t.Errorf("store 2 with store 1's register: %v", got)
	}
	mgr2 := env.CreateUser(t, s.Tenant, "store_manager", &store2, nil)
	want(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: base + "register_id=" + s.register.String(), Token: mgr2.Token}), 404, "")

	// Another chain: our store is 404 to its token, and our ids in its own
	// store's list match nothing.
	other := newShop(t, env, 0)
	want(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: base + "register_id=" + s.register.String(), Token: other.AdminToken}), 404, "")
	otherShift := other.open(t, 0)
	if got := shiftIDs(t, other.AdminToken, other.path("/shifts")+"?register_id="+s.register.String()); len(got) != 0 {
		t.Errorf("other chain with our register: %v", got)
	}
	if got := shiftIDs(t, other.AdminToken, other.path("/shifts")+"?cashier_id="+s.cashier.ID.String()); len(got) != 0 {
		t.Errorf("other chain with our cashier: %v", got)
	}
	if got := shiftIDs(t, s.AdminToken, base+"register_id="+other.register.String()); len(got) != 0 {
		t.Errorf("our store with the other chain's register: %v", got)
	}
	if got := shiftIDs(t, other.AdminToken, other.path("/shifts")+"?limit=50"); !sameSet(got, otherShift.ID) {
		t.Errorf("other chain's own list: %v", got)
	}
}
