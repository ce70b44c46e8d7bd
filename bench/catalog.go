package bench

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"chainstore/infra/load"
	"chainstore/modules/catalog"
	"chainstore/tenant"
	"chainstore/tenant/org"
)

// benchSKUs is the catalog size of the bench chain.
const benchSKUs = 100_000

// benchCatalog measures the till's two catalog paths with 100,000 SKUs in
// the tenant: the barcode look-up through HTTP (throughput, p99), and the
// delta feed: the time to pull a full store snapshot page by page.
func benchCatalog(ctx context.Context, b *benchEnv, out io.Writer) error {
	admin := &tenant.Principal{TenantID: b.tenantID}
	actx := tenant.WithPrincipal(ctx, admin)
	st, err := b.srv.Org.CreateStore(actx, admin, org.CreateStoreInput{Code: "BENCH-CAT", Name: "Bench store", Type: "direct"})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := benchCatalogRows(ctx, b); err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	fmt.Fprintf(out, "inserted %d products/SKUs/EAN-13 barcodes/prices in one tenant transaction in %s\n", benchSKUs, time.Since(start).Round(time.Millisecond))
	// Fresh statistics, as autovacuum would give a real chain after a load.
	if conn, err := pgx.Connect(ctx, b.srv.Config.MigrationDatabaseURL); err == nil {
		_, _ = conn.Exec(ctx, `ANALYZE categories, units, products, skus, sku_barcodes, price_versions`)
		_ = conn.Close(ctx)
	}

	barcode := benchBarcode(benchSKUs / 2)
	auth := map[string]string{"Authorization": "Bearer " + b.token}
	res := b.run(ctx, load.Target{Name: "GET /pos/lookup?barcode= (100k SKUs)",
		URL: fmt.Sprintf("%s/api/v1/stores/%s/pos/lookup?barcode=%s", b.api, st.ID, barcode), Headers: auth, Expect: 200})
	fmt.Fprintln(out, res)
	ratio(out, res, b.base.Postgres, 0.5)
	fmt.Fprintf(out, "  p99 goal ≤ 10ms at %d connections: %s\n", b.concurrency, map[bool]string{true: "met", false: "NOT met"}[res.P99 <= 10*time.Millisecond])
	if res.Errors > 0 {
		return fmt.Errorf("%d look-ups failed", res.Errors)
	}

	// Delta feed: a till starting from nothing.
	client := &http.Client{Timeout: time.Minute}
	var since, wireBytes, jsonBytes int64
	pages, items := 0, 0
	start = time.Now()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet,
			fmt.Sprintf("%s/api/v1/stores/%s/catalog/changes?since=%d&limit=%d", b.api, st.ID, since, catalog.MaxChangesPage), nil)
		req.Header.Set("Authorization", "Bearer "+b.token)
		// Asked for explicitly, so the transport leaves the body compressed
		// and the bytes on the wire can be counted.
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		wire := &countingReader{r: resp.Body}
		var body io.Reader = wire
		if resp.Header.Get("Content-Encoding") == "gzip" {
			if body, err = gzip.NewReader(wire); err != nil {
				resp.Body.Close()
				return fmt.Errorf("feed page %d: %w", pages, err)
			}
		}
		raw := &countingReader{r: body}
		var page catalog.Changes
		err = json.NewDecoder(raw).Decode(&page)
		resp.Body.Close()
		wireBytes, jsonBytes = wireBytes+wire.n, jsonBytes+raw.n
		if err != nil || resp.StatusCode != http.StatusOK {
			return fmt.Errorf("feed page %d: status %d: %v", pages, resp.StatusCode, err)
		}
		pages++
		items += len(page.Data)
		since = page.NextSince
		if !page.HasMore {
			break
		}
	}
	took := time.Since(start)
	fmt.Fprintf(out, "%-44s %9s   %d items in %d pages of %d (%.0f items/s)\n", "delta feed: full store snapshot", took.Round(time.Millisecond),
		items, pages, catalog.MaxChangesPage, float64(items)/took.Seconds())
	fmt.Fprintf(out, "%-44s %6.1f MB gzip on the wire for %.1f MB of JSON (%.1fx smaller)\n", "  snapshot size",
		float64(wireBytes)/1e6, float64(jsonBytes)/1e6, float64(jsonBytes)/float64(max(wireBytes, 1)))
	if items < benchSKUs {
		return fmt.Errorf("the snapshot had %d items, want %d", items, benchSKUs)
	}
	return nil
}

// benchBarcode is the EAN-13 of bench SKU n (as the SQL below makes it).
func benchBarcode(n int) string {
	body := fmt.Sprintf("69%010d", n)
	return body + string(catalog.CheckDigit(body))
}

// benchCatalogRows bulk-inserts the catalog with set-based SQL in one
// tenant transaction (rows obey every constraint and RLS policy).
func benchCatalogRows(ctx context.Context, b *benchEnv) error {
	return b.srv.Pool.WithTx(ctx, b.tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		unit, cat := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO units (tenant_id, id, code, name, kind) VALUES (?, ?, 'pcs', '个', 'count')`, []any{b.tenantID, unit}},
			{`INSERT INTO categories (tenant_id, id, code, name, path) VALUES (?, ?, 'BENCH', '压测', ARRAY[?::uuid])`, []any{b.tenantID, cat, cat}},
			{`INSERT INTO products (tenant_id, id, code, name, category_id, unit_id)
				SELECT ?, gen_random_uuid(), 'BP' || g, '压测商品 ' || g, ?, ? FROM generate_series(1, ?) g`, []any{b.tenantID, cat, unit, benchSKUs}},
			{`INSERT INTO skus (tenant_id, id, product_id, code, name)
				SELECT tenant_id, gen_random_uuid(), id, 'BS' || substr(code, 3), name FROM products WHERE tenant_id = ? AND category_id = ?`, []any{b.tenantID, cat}},
			// EAN-13 "69" + 10-digit number + GS1 check digit.
			{`INSERT INTO sku_barcodes (tenant_id, barcode, sku_id, kind)
				SELECT s.tenant_id, x.body || ((10 - (SELECT sum(substr(x.body, i, 1)::int * CASE WHEN i % 2 = 0 THEN 3 ELSE 1 END) FROM generate_series(1, 12) i) % 10) % 10)::text,
					s.id, 'ean13'
				FROM skus s CROSS JOIN LATERAL (SELECT '69' || lpad(substr(s.code, 3), 10, '0') AS body) x
				WHERE s.tenant_id = ? AND s.code LIKE 'BS%'`, []any{b.tenantID}},
			{`INSERT INTO price_versions (tenant_id, id, sku_id, store_id, kind, amount, effective_from)
				SELECT tenant_id, gen_random_uuid(), id, NULL, k.kind, k.amount, now() - interval '1 day'
				FROM skus CROSS JOIN (VALUES ('list', 990), ('member', 890)) k(kind, amount) WHERE tenant_id = ? AND code LIKE 'BS%'`, []any{b.tenantID}},
		} {
			if err := db.Exec(q.sql, q.args...).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
