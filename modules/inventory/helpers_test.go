package inventory_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/inventory"
	"chainstore/tenant"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "inventory", &env) }

func svc() *inventory.Service { return env.Server.Inventory }

func admin(tn *apitest.Tenant) *tenant.Principal {
	return &tenant.Principal{TenantID: tn.ID, UserID: tn.AdminID}
}

// catalog makes a category with n SKUs (one product each) through the
// owner connection; shelfLife > 0 sets the products' shelf life.
func catalog(t testing.TB, tn *apitest.Tenant, n int, weighed bool) (uuid.UUID, []uuid.UUID) {
	t.Helper()
	cat, unit := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	exec(t, `INSERT INTO categories (tenant_id, id, code, name, path) VALUES ($1, $2, $3, '食品', ARRAY[$2]::uuid[])`, tn.ID, cat, env.Unique("C"))
	kind := "count"
	if weighed {
		kind = "weight"
	}
	exec(t, `INSERT INTO units (tenant_id, id, code, name, kind) VALUES ($1, $2, $3, '个', $4)`, tn.ID, unit, env.Unique("u"), kind)
	skus := make([]uuid.UUID, n)
	for i := range skus {
		prod, sku := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
		exec(t, `INSERT INTO products (tenant_id, id, code, name, category_id, unit_id, weighed, shelf_life_days) VALUES ($1, $2, $3, '商品', $4, $5, $6, 30)`,
			tn.ID, prod, env.Unique("P"), cat, unit, weighed)
		exec(t, `INSERT INTO skus (tenant_id, id, product_id, code, name) VALUES ($1, $2, $3, $4, '规格')`, tn.ID, sku, prod, env.Unique("K"))
		skus[i] = sku
	}
	return cat, skus
}

func exec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := env.Owner.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func receive(t testing.TB, tn *apitest.Tenant, store, sku uuid.UUID, qty, unitCost int64) inventory.MoveResult {
	t.Helper()
	res, err := svc().Apply(context.Background(), tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindReceipt,
		Source: src("test"), Lines: []inventory.MoveLine{{SKUID: sku, Qty: qty, UnitCost: &unitCost}}})
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
	return res[0]
}

func sell(tn *apitest.Tenant, store, sku uuid.UUID, qty int64) (inventory.MoveResult, error) {
	res, err := svc().Apply(context.Background(), tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindSale,
		Source: src(doc.Sale), Lines: []inventory.MoveLine{{SKUID: sku, Qty: qty}}})
	if err != nil {
		return inventory.MoveResult{}, err
	}
	return res[0], nil
}

func ptr[T any](v T) *T { return &v }

// src is a new document of type typ.
func src(typ string) doc.Source { return doc.Of(typ, uuid.Must(uuid.NewV7())) }

func level(t testing.TB, tn *apitest.Tenant, store, sku uuid.UUID) inventory.Level {
	t.Helper()
	l, err := svc().GetLevel(context.Background(), tn.ID, store, sku)
	if err != nil {
		t.Fatalf("level: %v", err)
	}
	return l
}

// checkInvariants asserts, for every level of the tenant: on_hand = the
// sum of its movements' qty, stock_value = the sum of their cost_amount,
// in_transit = shipped and not received, an empty level has no value,
// and the moving average is within the costs ever received (for a receipt
// that settled negative stock, the cost of the goods it brought is the
// value after it over the quantity after it).
func checkInvariants(t testing.TB, tn *apitest.Tenant) int {
	t.Helper()
	rows, err := env.Owner.Query(`
		SELECT l.store_id, l.sku_id, l.on_hand, l.stock_value, l.in_transit, l.avg_cost, l.lot_qty,
			coalesce((SELECT sum(qty) FROM stock_movements m WHERE m.tenant_id = l.tenant_id AND m.store_id = l.store_id AND m.sku_id = l.sku_id), 0),
			coalesce((SELECT sum(cost_amount) FROM stock_movements m WHERE m.tenant_id = l.tenant_id AND m.store_id = l.store_id AND m.sku_id = l.sku_id), 0),
			coalesce((SELECT sum(x.shipped_qty) FROM transfer_lines x JOIN transfers tr ON tr.tenant_id = x.tenant_id AND tr.id = x.transfer_id
				WHERE x.tenant_id = l.tenant_id AND x.sku_id = l.sku_id AND tr.to_store_id = l.store_id AND tr.status = 'shipped'), 0),
			coalesce((SELECT max(CASE WHEN m.on_hand_after - m.qty >= 0 THEN m.unit_cost
					WHEN m.on_hand_after > 0 THEN (m.value_after * 1000 / m.on_hand_after)::bigint + 1 ELSE 0 END)
				FROM (SELECT qty, unit_cost, on_hand_after, sum(cost_amount) OVER (ORDER BY id) AS value_after FROM stock_movements
					WHERE tenant_id = l.tenant_id AND store_id = l.store_id AND sku_id = l.sku_id) m WHERE m.qty > 0), 0),
			coalesce((SELECT sum(remaining_qty) FROM stock_lots o WHERE o.tenant_id = l.tenant_id AND o.store_id = l.store_id AND o.sku_id = l.sku_id), 0)
		FROM stock_levels l WHERE l.tenant_id = $1`, tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var store, sku uuid.UUID
		var onHand, value, inTransit, avg, lotQty, sumQty, sumCost, shipped, maxCost, lots int64
		if err := rows.Scan(&store, &sku, &onHand, &value, &inTransit, &avg, &lotQty, &sumQty, &sumCost, &shipped, &maxCost, &lots); err != nil {
			t.Fatal(err)
		}
		n++
		if onHand != sumQty {
			t.Errorf("store %s sku %s: on_hand %d, movements sum to %d", store, sku, onHand, sumQty)
		}
		if value != sumCost {
			t.Errorf("store %s sku %s: stock_value %d, movements' cost sums to %d", store, sku, value, sumCost)
		}
		if inTransit != shipped {
			t.Errorf("store %s sku %s: in_transit %d, shipped-not-received %d", store, sku, inTransit, shipped)
		}
		if onHand == 0 && value != 0 {
			t.Errorf("store %s sku %s: empty with value %d", store, sku, value)
		}
		if avg < 0 || avg > maxCost+1 {
			t.Errorf("store %s sku %s: moving average %d outside [0, %d]", store, sku, avg, maxCost)
		}
		if onHand > 0 && value < 0 {
			t.Errorf("store %s sku %s: %d on hand worth %d", store, sku, onHand, value)
		}
		if lotQty != lots {
			t.Errorf("store %s sku %s: lot_qty %d, lots hold %d", store, sku, lotQty, lots)
		}
	}
	return n
}
