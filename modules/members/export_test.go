package members_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"chainstore/api/apitest"
	"chainstore/infra/sheet"
	"chainstore/modules/members"
)

// TestExportMembers: HQ exports the matching members in full as CSV or
// XLSX; the file re-imports into another chain as it is; the export is
// audited once; a cashier cannot, another chain sees none of these
// members, and too many members is a clear 422 that writes no file.
func TestExportMembers(t *testing.T) {
	tn, other := env.Signup(t), env.Signup(t)
	ctx := context.Background()
	p1, p2, p3 := newPhone(), newPhone(), newPhone()
	a := createMember(t, tn, p1, map[string]any{"name": "王小明", "tags": []string{"vip", "常客"}})
	createMember(t, tn, p2, map[string]any{"name": "李华", "tags": []string{"new"}})
	createMember(t, tn, p3, map[string]any{"name": "赵敏", "tags": []string{"vip"}})
	if _, err := svc().TopUp(ctx, tn.ID, a.ID, nil, 2050, "cash", source("test", "t1")); err != nil {
		t.Fatal(err)
	}
	export := func(tok, query string) (*apitest.Response, *sheet.Table) {
		t.Helper()
		r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/members/export?" + query, Token: tok})
		if r.Status != 200 {
			return r, nil
		}
		tab, err := sheet.Read(r.Body)
		if err != nil {
			t.Fatalf("reading the export: %v", err)
		}
		return r, tab
	}

	r, tab := export(tn.AdminToken, "format=csv")
	if r.Status != 200 || strings.Join(tab.Header, ",") != strings.Join(members.ExportHeader, ",") || len(tab.Rows) != 3 {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	byPhone := map[string][]string{}
	for _, row := range tab.Rows {
		byPhone[row[tab.Column("phone")]] = row
	}
	row := byPhone[p1]
	if row == nil || row[tab.Column("name")] != "王小明" || row[tab.Column("balance_principal")] != "20.50" ||
		row[tab.Column("tags")] != "vip;常客" || row[tab.Column("card_number")] != a.Card.Number || row[tab.Column("card_status")] != "active" ||
		row[tab.Column("member_id")] != a.ID.String() {
		t.Fatalf("exported row %v", row)
	}
	// Times in the chain's zone (Asia/Shanghai), as a spreadsheet reads them.
	if created, err := time.ParseInLocation("2006-01-02 15:04:05", row[tab.Column("created_at")], time.FixedZone("CST", 8*3600)); err != nil ||
		created.Sub(a.CreatedAt).Abs() > time.Second {
		t.Fatalf("created_at %q for %s", row[tab.Column("created_at")], a.CreatedAt)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'member.export_list'`, tn.ID); n != 1 {
		t.Fatalf("%d export audit rows, want 1", n)
	}
	// The list's filters apply; XLSX holds the same rows.
	if _, vip := export(tn.AdminToken, "format=xlsx&tag=vip"); vip == nil || len(vip.Rows) != 2 {
		t.Fatalf("vip export: %v", vip)
	}
	if _, long := export(tn.AdminToken, "tag="+url.QueryEscape("会员生日月专享活动")); long == nil || len(long.Rows) != 0 {
		t.Fatalf("a 9-character Chinese tag: %v", long)
	}
	// Filtering by phone audits that a phone was used, not the phone.
	if _, one := export(tn.AdminToken, "phone="+p2); one == nil || len(one.Rows) != 1 || one.Rows[0][one.Column("phone")] != p2 {
		t.Fatalf("export by phone: %v", one)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'member.export_list' AND detail::text LIKE '%' || $2 || '%'`, tn.ID, p2); n != 0 {
		t.Fatalf("the audit log holds the filtered phone %s", p2)
	}
	if r, _ := export(tn.AdminToken, "format=pdf&min_spend=-1"); r.Status != 400 || r.Code() != "request.bad_query" {
		t.Fatalf("bad format and filter: %d %s", r.Status, r.Body)
	}
	// The file imports into another chain as it is.
	imp := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/import?commit=true", Token: other.AdminToken, RawBody: r0(t, tn), Header: map[string]string{"Content-Type": "text/csv"}})
	var rep members.ImportReport
	imp.JSON(t, &rep)
	if imp.Status != 200 || rep.Created != 3 || len(rep.Errors) != 0 {
		t.Fatalf("re-import: %d %s", imp.Status, imp.Body)
	}
	// Another chain's export holds only its own members; a cashier cannot export.
	if _, mine := export(other.AdminToken, ""); mine == nil || len(mine.Rows) != 3 {
		t.Fatalf("the other chain's export: %v", mine)
	}
	store := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	if r, _ := export(cashier.Token, ""); r.Status != 403 {
		t.Fatalf("cashier export: %d", r.Status)
	}
	// Export without members:pii would hand out what the list masks: 403.
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/roles", Token: tn.AdminToken, Body: map[string]any{"key": "exporter", "name": "导出员", "scope": "chain",
		"permissions": []string{"members:read", "members:export"}}}); r.Status != 201 {
		t.Fatalf("create role: %d %s", r.Status, r.Body)
	}
	exporter := env.CreateUser(t, tn, "exporter", nil, nil)
	if r, _ := export(exporter.Token, ""); r.Status != 403 {
		t.Fatalf("export without members:pii: %d", r.Status)
	}
	// Over the limit: 422 with the count, and no audit row.
	audited := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'member.export_list'`, tn.ID)
	defer members.SetMaxExportRows(2)()
	if r, _ := export(tn.AdminToken, ""); r.Status != 422 || r.Code() != "members.export_too_large" || !strings.Contains(string(r.Body), "3 members match") {
		t.Fatalf("too large: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'member.export_list'`, tn.ID); n != audited {
		t.Fatalf("%d export audit rows after the refused one, want %d", n, audited)
	}
}

// r0 is tn's full member export as CSV bytes.
func r0(t *testing.T, tn *apitest.Tenant) []byte {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/members/export", Token: tn.AdminToken})
	if r.Status != 200 {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	return r.Body
}
