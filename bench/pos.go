package bench

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/valyala/fasthttp"

	"chainstore/infra/load"
	"chainstore/infra/postgres"
	"chainstore/tenant/auth"
)

// benchPOS: the checkout through the full HTTP stack — a 5-line cart with
// a member (by phone) and one 满减 promotion, paid in cash, with a fresh
// UUIDv7 and Idempotency-Key each time, at 8 and 16 connections, each
// connection a till of one busy store (its own register, cashier and shift,
// as a till sells one sale after another), the carts drawn from 30 SKUs
// and 50 members — next to
// pgbench running a naive script that makes the same row writes as one of
// these sales (one prepared INSERT or UPDATE per row, in one transaction),
// and the cart price call. The rows a sale writes are counted, not
// guessed: every tenant table's rows (by ctid) before and after one sale.
func benchPOS(ctx context.Context, b *benchEnv, out io.Writer) error {
	slug := "bench-pos-" + uuid.NewString()[:8]
	res, err := b.srv.Auth.Signup(ctx, auth.SignupInput{ChainName: "Bench POS", Slug: slug, AdminName: "Bench",
		AdminEmail: slug + "@bench.test", AdminPassword: "Bench-Passw0rd!x"})
	if err != nil {
		return err
	}
	c := &posClient{base: b.api, admin: res.AccessToken}
	shop, err := c.setup(ctx, b, res.Tenant.ID, slug)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	saleURL := b.api + "/api/v1/stores/" + shop.store.String() + "/pos/sales"
	priceURL := b.api + "/api/v1/stores/" + shop.store.String() + "/pos/carts/price"
	hdr := shop.tills[0].headers()

	owner, err := openOwner(b.srv.Config.MigrationDatabaseURL)
	if err != nil {
		return err
	}
	defer owner.Close()
	writes, err := rowsWrittenBy(ctx, owner, res.Tenant.ID, func() error {
		_, err := c.post(saleURL, hdr, shop.saleBody(0, uuid.Must(uuid.NewV7())), http.StatusCreated)
		return err
	})
	if err != nil {
		return fmt.Errorf("count a sale's rows: %w", err)
	}
	var names []string
	total := 0
	for _, w := range writes {
		names = append(names, fmt.Sprintf("%s %d+%d", w.table, w.inserted, w.updated))
		total += w.inserted + w.updated
	}
	fmt.Fprintf(out, "one sale writes %d rows (table inserted+updated): %s\n", total, strings.Join(names, ", "))

	var next atomic.Int64
	price := b.run(ctx, load.Target{Name: "POST carts/price (5 lines, member, 满减)", Method: http.MethodPost, URL: priceURL, Headers: hdr,
		Expect: 200, Prepare: func(req *fasthttp.Request) {
			k := int(next.Add(1))
			shop.tills[k%len(shop.tills)].set(req)
			req.SetBody(shop.cartBody(k))
		}})
	fmt.Fprintln(out, price)
	fmt.Fprintf(out, "  goal ≥ 3,000/s: %s\n", map[bool]string{true: "met", false: "NOT met"}[price.RPS() >= 3000])

	sell := func(conns int) load.Result {
		t := load.Target{Name: fmt.Sprintf("POST sales (5 lines, member, 满减) @%d", conns), Method: http.MethodPost, URL: saleURL,
			Headers: hdr, Expect: http.StatusCreated, Prepare: func(req *fasthttp.Request) {
				// Requests go to the tills in turn: with conns in flight and
				// as many tills, no two share a till.
				k := int(next.Add(1))
				shop.tills[k%conns].set(req)
				req.Header.Set("Idempotency-Key", uuid.NewString())
				req.SetBody(shop.saleBody(k, uuid.Must(uuid.NewV7())))
			}}
		return load.Run(ctx, t, conns, b.warmup, b.duration)
	}
	dir, err := os.MkdirTemp("", "chainstore-pgbench-")
	if err != nil {
		return err
	}
	if os.Getenv("BENCH_KEEP") == "" {
		defer os.RemoveAll(dir)
	} else {
		fmt.Fprintf(out, "pgbench files kept in %s\n", dir)
	}
	script, err := naiveSaleScript(ctx, owner, res.Tenant.ID, writes, dir)
	if err != nil {
		return fmt.Errorf("naive script: %w", err)
	}
	for _, conns := range []int{8, 16} {
		ours := sell(conns)
		fmt.Fprintln(out, ours)
		naive, err := runPgbench(ctx, b.srv.Config.MigrationDatabaseURL, script, dir, conns, b.duration)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, naive)
		ratio(out, ours, naive, 1)
		if conns == 8 {
			fmt.Fprintf(out, "  p99 goal < 20ms at 8 connections: %s\n", map[bool]string{true: "met", false: "NOT met"}[ours.P99 < 20*time.Millisecond])
		}
		if ours.Errors > 0 {
			return fmt.Errorf("%d sales failed", ours.Errors)
		}
	}
	return nil
}

type posClient struct {
	base  string
	admin string
}

func (c *posClient) post(url string, hdr map[string]string, body []byte, want int) ([]byte, error) {
	return c.send(http.MethodPost, url, hdr, body, want)
}

func (c *posClient) send(method, url string, hdr map[string]string, body []byte, want int) ([]byte, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, out)
	}
	return out, nil
}

// as calls the API as the chain's admin and decodes the answer into v.
func (c *posClient) as(method, path string, body any, want int, v any) error {
	raw, _ := json.Marshal(body)
	out, err := c.send(method, c.base+path, map[string]string{"Authorization": "Bearer " + c.admin}, raw, want)
	if err != nil || v == nil {
		return err
	}
	return json.Unmarshal(out, v)
}

type posShop struct {
	store   uuid.UUID
	tills   []posTill
	skus    []uuid.UUID
	phones  []string
	payable []int64 // by the cart's first SKU
}

// posTill is one register with its cashier signed in.
type posTill struct{ cashier, device string }

func (t posTill) headers() map[string]string {
	return map[string]string{"Authorization": "Bearer " + t.cashier, "X-Register-Token": t.device, "Content-Type": "application/json"}
}

func (t posTill) set(req *fasthttp.Request) {
	req.Header.Set("Authorization", "Bearer "+t.cashier)
	req.Header.Set("X-Register-Token", t.device)
}

const posCartLines = 5

// cart k: five consecutive SKUs from the k-th, one unit each, and the
// k-th member.
func (s *posShop) cart(k int) map[string]any {
	first := k % (len(s.skus) - posCartLines + 1)
	lines := make([]map[string]any, posCartLines)
	for i := range lines {
		lines[i] = map[string]any{"sku_id": s.skus[first+i], "qty": 1000}
	}
	return map[string]any{"lines": lines, "member": map[string]any{"phone": s.phones[k%len(s.phones)]}}
}

func (s *posShop) cartBody(k int) []byte {
	b, _ := json.Marshal(s.cart(k))
	return b
}

func (s *posShop) saleBody(k int, id uuid.UUID) []byte {
	body := s.cart(k)
	pay := s.payable[k%(len(s.skus)-posCartLines+1)]
	body["id"] = id
	body["tenders"] = []any{map[string]any{"method": "cash", "amount": pay, "tendered": pay + 10_000}}
	b, _ := json.Marshal(body)
	return b
}

// setup makes the shop through the API as a chain would: a store, a
// cashier, five products with prices and ample stock, a member, a 满100减10
// promotion, a registered till and an open shift.
func (c *posClient) setup(ctx context.Context, b *benchEnv, tenantID uuid.UUID, slug string) (*posShop, error) {
	s := &posShop{}
	var store struct{ ID uuid.UUID }
	if err := c.as(http.MethodPost, "/api/v1/stores", map[string]any{"code": "POS1", "name": "收银压测店", "type": "direct"}, 201, &store); err != nil {
		return nil, err
	}
	s.store = store.ID
	var ids struct{ Cat, Unit uuid.UUID }
	if err := b.srv.Pool.Raw().WithContext(ctx).Raw(`SELECT (SELECT id FROM categories WHERE tenant_id = ? AND code = 'FOOD') AS cat,
		(SELECT id FROM units WHERE tenant_id = ? AND code = 'ge') AS unit`, tenantID, tenantID).Scan(&ids).Error; err != nil {
		return nil, err
	}
	if ids.Cat == uuid.Nil {
		// The app role reads nothing outside a tenant transaction: ask the API.
		var cats struct{ Data []struct{ ID uuid.UUID } }
		var units struct {
			Data []struct {
				ID   uuid.UUID
				Code string
			}
		}
		if err := c.as(http.MethodGet, "/api/v1/catalog/categories", nil, 200, &cats); err != nil {
			return nil, err
		}
		if err := c.as(http.MethodGet, "/api/v1/catalog/units", nil, 200, &units); err != nil {
			return nil, err
		}
		if len(cats.Data) == 0 {
			return nil, fmt.Errorf("no categories")
		}
		ids.Cat = cats.Data[0].ID
		for _, u := range units.Data {
			if u.Code == "ge" {
				ids.Unit = u.ID
			}
		}
	}
	for i := 0; i < 30; i++ {
		var p struct{ SKUs []struct{ ID uuid.UUID } }
		code := fmt.Sprintf("POS-%d", i)
		if err := c.as(http.MethodPost, "/api/v1/catalog/products", map[string]any{"code": code, "name": fmt.Sprintf("压测商品%d", i),
			"category_id": ids.Cat, "unit_id": ids.Unit, "skus": []any{map[string]any{"code": code, "name": "标准",
				"prices": map[string]any{"list": 1990 + 100*i, "member": 1890 + 100*i}}}}, 201, &p); err != nil {
			return nil, err
		}
		s.skus = append(s.skus, p.SKUs[0].ID)
		if err := c.as(http.MethodPost, "/api/v1/inventory/movements", map[string]any{"store_id": s.store, "kind": "receipt",
			"lines": []any{map[string]any{"sku_id": p.SKUs[0].ID, "qty": 1_000_000_000, "unit_cost": 1000}}}, 201, nil); err != nil {
			return nil, err
		}
	}
	for i := 0; i < 50; i++ {
		phone := fmt.Sprintf("1370000%04d", i)
		if err := c.as(http.MethodPost, "/api/v1/members", map[string]any{"name": "压测会员", "phone": phone}, 201, nil); err != nil {
			return nil, err
		}
		s.phones = append(s.phones, phone)
	}
	var promo struct{ ID uuid.UUID }
	if err := c.as(http.MethodPost, "/api/v1/promotions", map[string]any{"name": "满100减10", "kind": "spend_amount_off",
		"rule": map[string]any{"steps": []any{map[string]any{"threshold": 10_000, "off": 1_000}}}}, 201, &promo); err != nil {
		return nil, err
	}
	if err := c.as(http.MethodPost, "/api/v1/promotions/"+promo.ID.String()+"/activate", nil, 200, nil); err != nil {
		return nil, err
	}
	for i := 0; i < 16; i++ {
		var reg struct {
			DeviceToken string `json:"device_token"`
		}
		if err := c.as(http.MethodPost, "/api/v1/stores/"+s.store.String()+"/pos/registers",
			map[string]any{"code": fmt.Sprintf("B%02d", i), "name": "压测收银机"}, 201, &reg); err != nil {
			return nil, err
		}
		email := fmt.Sprintf("cashier%d@%s.test", i, slug)
		if err := c.as(http.MethodPost, "/api/v1/users", map[string]any{"name": "压测收银员", "email": email, "password": "Bench-Passw0rd!x",
			"assignments": []any{map[string]any{"role": "cashier", "store_id": s.store}}}, 201, nil); err != nil {
			return nil, err
		}
		login, err := b.srv.Auth.Login(ctx, auth.LoginInput{Tenant: slug, Login: email, Password: "Bench-Passw0rd!x"})
		if err != nil {
			return nil, err
		}
		t := posTill{cashier: login.AccessToken, device: reg.DeviceToken}
		if _, err := c.post(c.base+"/api/v1/stores/"+s.store.String()+"/pos/shifts", t.headers(), []byte(`{"opening_float":50000}`), 201); err != nil {
			return nil, err
		}
		s.tills = append(s.tills, t)
	}
	for k := 0; k <= len(s.skus)-posCartLines; k++ {
		raw, err := c.post(c.base+"/api/v1/stores/"+s.store.String()+"/pos/carts/price", s.tills[0].headers(), s.cartBody(k), 200)
		if err != nil {
			return nil, err
		}
		var priced struct {
			Payable    int64 `json:"payable"`
			Promotions []any `json:"promotions"`
		}
		if err := json.Unmarshal(raw, &priced); err != nil {
			return nil, err
		}
		if len(priced.Promotions) == 0 {
			return nil, fmt.Errorf("the bench cart takes no promotion: %s", raw)
		}
		s.payable = append(s.payable, priced.Payable)
	}
	return s, nil
}

// tableWrites is how many rows of one table a sale inserted and updated.
type tableWrites struct {
	table              string
	inserted, updated  int
	updateKey, columns []string
}

// rowsWrittenBy counts, per tenant table, the rows fn inserted (new
// rows) and updated (existing rows with a new ctid).
func rowsWrittenBy(ctx context.Context, db *sql.DB, tenantID uuid.UUID, fn func() error) ([]tableWrites, error) {
	tables, err := strs(ctx, db, `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	type snap struct {
		n     int
		ctids map[string]bool
	}
	take := func() (map[string]snap, error) {
		out := map[string]snap{}
		for _, t := range tables {
			ids, err := strs(ctx, db, `SELECT ctid::text FROM `+t+` WHERE tenant_id = $1`, tenantID)
			if err != nil {
				return nil, err
			}
			s := snap{n: len(ids), ctids: map[string]bool{}}
			for _, id := range ids {
				s.ctids[id] = true
			}
			out[t] = s
		}
		return out, nil
	}
	before, err := take()
	if err != nil {
		return nil, err
	}
	if err := fn(); err != nil {
		return nil, err
	}
	after, err := take()
	if err != nil {
		return nil, err
	}
	var out []tableWrites
	for _, t := range tables {
		fresh := 0
		for id := range after[t].ctids {
			if !before[t].ctids[id] {
				fresh++
			}
		}
		ins := after[t].n - before[t].n
		if fresh == 0 && ins == 0 {
			continue
		}
		out = append(out, tableWrites{table: t, inserted: ins, updated: fresh - ins})
	}
	return out, nil
}

func strs(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// naiveSaleScript builds the pgbench side: for each table a sale writes, a
// copy in schema naive_pos with the same columns, defaults and indexes
// (unique ones made plain, since the script repeats a real row), seeded
// with the tenant's real rows; the script inserts as many rows into each
// as one sale did (a prepared INSERT … SELECT of a real row, under another
// tenant id so that the copies never match an update) and updates as many
// of the tenant's real rows by primary key (one picked at random among
// them: a sale's updates are of hot rows, its SKUs' stock, the member, the
// register, the day's balances), all in one transaction, statement by
// statement.
func naiveSaleScript(ctx context.Context, db *sql.DB, tenantID uuid.UUID, writes []tableWrites, dir string) (string, error) {
	const elsewhere = "00000000-0000-7000-8000-000000000001"
	if _, err := db.ExecContext(ctx, `DROP SCHEMA IF EXISTS naive_pos CASCADE; CREATE SCHEMA naive_pos`); err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.WriteString("BEGIN;\n")
	sb.WriteString(fmt.Sprintf("SELECT set_config('app.tenant_id', '%s', true);\n", tenantID))
	for _, w := range writes {
		t := w.table
		pk, err := strs(ctx, db, `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
			WHERE i.indrelid = ('public.' || $1)::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`, t)
		if err != nil {
			return "", err
		}
		stmts := []string{
			fmt.Sprintf(`CREATE TABLE naive_pos.%s (LIKE public.%s INCLUDING DEFAULTS INCLUDING GENERATED)`, t, t),
			fmt.Sprintf(`INSERT INTO naive_pos.%s SELECT * FROM public.%s WHERE tenant_id = '%s'`, t, t, tenantID),
			fmt.Sprintf(`CREATE TABLE naive_pos.%s_row AS SELECT * FROM naive_pos.%s LIMIT 1`, t, t),
			fmt.Sprintf(`UPDATE naive_pos.%s_row SET tenant_id = '%s'`, t, elsewhere),
		}
		if len(pk) > 0 {
			cols := strings.Join(pk, ", ")
			stmts = append(stmts,
				fmt.Sprintf(`CREATE TABLE naive_pos.%s_keys AS SELECT row_number() OVER (ORDER BY %s) AS n, %s FROM naive_pos.%s`, t, cols, cols, t),
				fmt.Sprintf(`CREATE INDEX ON naive_pos.%s_keys (n)`, t))
		}
		defs, err := strs(ctx, db, `SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = ('public.' || $1)::regclass`, t)
		if err != nil {
			return "", err
		}
		for i, d := range defs {
			on := strings.Index(d, " ON ")
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX naive_%s_%d%s", t, i, strings.Replace(d[on:], " ON public."+t+" ", " ON naive_pos."+t+" ", 1)))
		}
		for _, q := range stmts {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return "", fmt.Errorf("%s: %w", q, err)
			}
		}
		for i := 0; i < w.inserted; i++ {
			sb.WriteString(fmt.Sprintf("INSERT INTO naive_pos.%s SELECT * FROM naive_pos.%s_row;\n", t, t))
		}
		if w.updated == 0 || len(pk) == 0 {
			continue
		}
		var keys int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM naive_pos.`+t+`_keys`).Scan(&keys); err != nil {
			return "", err
		}
		// Several rows of one table are taken in key order, as the sale
		// takes its stock levels, so that clients never deadlock.
		cols := strings.Join(pk, ", ")
		sb.WriteString(fmt.Sprintf("\\set k random(1, %d)\n", max(1, keys-w.updated+1)))
		for i := 0; i < w.updated; i++ {
			sb.WriteString(fmt.Sprintf("UPDATE naive_pos.%s SET tenant_id = tenant_id WHERE (%s) = (SELECT %s FROM naive_pos.%s_keys WHERE n = :k + %d);\n",
				t, cols, cols, t, i))
		}
	}
	sb.WriteString("COMMIT;\n")
	path := filepath.Join(dir, "naive_sale.sql")
	return path, os.WriteFile(path, []byte(sb.String()), 0o600)
}

// runPgbench runs the script with conns clients, prepared statements, and
// reads every transaction's latency from its log for p50 and p99.
func runPgbench(ctx context.Context, dsn, script, dir string, conns int, d time.Duration) (load.Result, error) {
	name := fmt.Sprintf("pgbench naive sale script @%d", conns)
	prefix := filepath.Join(dir, fmt.Sprintf("log%d", conns))
	cmd := exec.CommandContext(ctx, "pgbench", "-n", "-M", "prepared", "-c", strconv.Itoa(conns), "-j", "2",
		"-T", strconv.Itoa(int(d.Seconds())), "-f", script, "-l", "--log-prefix", prefix, postgres.WithDatabase(dsn, postgres.DatabaseName(dsn)))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return load.Result{}, fmt.Errorf("pgbench: %v: %s", err, stderr.String())
	}
	logs, _ := filepath.Glob(prefix + ".*")
	var lat []time.Duration
	failed := 0
	for _, l := range logs {
		f, err := os.Open(l)
		if err != nil {
			return load.Result{}, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			if len(fs) < 3 {
				continue
			}
			us, err := strconv.ParseInt(fs[2], 10, 64)
			if err != nil {
				failed++
				continue
			}
			lat = append(lat, time.Duration(us)*time.Microsecond)
		}
		f.Close()
	}
	if len(lat) == 0 {
		return load.Result{}, fmt.Errorf("pgbench logged no transactions: %s", stderr.String())
	}
	if failed > 0 {
		tail := stderr.String()
		if len(tail) > 600 {
			tail = tail[len(tail)-600:]
		}
		fmt.Fprintf(os.Stderr, "pgbench: %d transactions failed: %s\n", failed, tail)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return load.Result{Name: name, Requests: len(lat), Errors: failed, Elapsed: d,
		P50: lat[len(lat)/2], P99: lat[len(lat)*99/100]}, nil
}
