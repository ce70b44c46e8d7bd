package pos_test

import (
	"testing"
)

// checkMoney asserts the books of a shop's chain: every journal entry
// balances; stock on hand is the sum of its movements; members' points
// and stored value are their ledgers' sums; every sale and return was
// posted; the tenders of sales less the refunds equal the sales' totals
// less the returns' refunds, and no tender or line gave back more than it
// took.
func checkMoney(t testing.TB, s *shop) {
	t.Helper()
	id := s.ID
	checks := []struct{ what, q string }{
		{"entries that do not balance", `SELECT count(*) FROM (SELECT entry_id FROM fin_lines WHERE tenant_id = $1 GROUP BY 1 HAVING sum(debit) <> sum(credit)) x`},
		{"stock levels that differ from their movements", `SELECT count(*) FROM stock_levels l WHERE l.tenant_id = $1 AND l.on_hand <>
			coalesce((SELECT sum(qty) FROM stock_movements m WHERE m.tenant_id = l.tenant_id AND m.store_id = l.store_id AND m.sku_id = l.sku_id), 0)`},
		{"points balances that differ from the ledger", `SELECT count(*) FROM member_accounts a WHERE a.tenant_id = $1 AND a.points <>
			coalesce((SELECT sum(points) FROM points_ledger p WHERE p.tenant_id = a.tenant_id AND p.member_id = a.member_id), 0)`},
		{"stored-value balances that differ from the ledger", `SELECT count(*) FROM member_accounts a WHERE a.tenant_id = $1 AND
			EXISTS (SELECT 1 FROM stored_value_ledger v WHERE v.tenant_id = a.tenant_id AND v.member_id = a.member_id
				HAVING sum(principal) <> a.balance_principal OR sum(bonus) <> a.balance_bonus)`},
		{"sales without their journal entry", `SELECT count(*) FROM pos_sales s WHERE s.tenant_id = $1 AND s.total > 0 AND NOT EXISTS
			(SELECT 1 FROM fin_entries e WHERE e.tenant_id = s.tenant_id AND e.source_id = s.id)`},
		{"returns without their journal entry", `SELECT count(*) FROM pos_returns r WHERE r.tenant_id = $1 AND r.refund_total > 0 AND NOT EXISTS
			(SELECT 1 FROM fin_entries e WHERE e.tenant_id = r.tenant_id AND e.source_id = r.id)`},
		{"sales whose tenders do not pay their total", `SELECT count(*) FROM pos_sales s WHERE s.tenant_id = $1 AND s.total <>
			(SELECT coalesce(sum(amount), 0) FROM pos_sale_tenders t WHERE t.tenant_id = s.tenant_id AND t.sale_id = s.id) + (SELECT coalesce(sum((u->>'value')::bigint), 0) FROM jsonb_array_elements(s.points_uses) u) OR s.paid <> s.total`},
		{"returns whose tenders do not pay their refund", `SELECT count(*) FROM pos_returns r WHERE r.tenant_id = $1 AND r.refund_total <>
			(SELECT coalesce(sum(amount), 0) FROM pos_return_tenders t WHERE t.tenant_id = r.tenant_id AND t.return_id = r.id)`},
		{"sales refunded beyond their total", `SELECT count(*) FROM pos_sales s WHERE s.tenant_id = $1 AND s.returned_total <>
			(SELECT coalesce(sum(refund_total), 0) FROM pos_returns r WHERE r.tenant_id = s.tenant_id AND r.sale_id = s.id)`},
		{"lines returned beyond what was sold", `SELECT count(*) FROM pos_sale_lines l WHERE l.tenant_id = $1 AND (l.returned_qty > l.qty OR l.returned_net > l.net)`},
	}
	for _, c := range checks {
		if n := s.e.Count(t, c.q, id); n != 0 {
			t.Errorf("%d %s", n, c.what)
		}
	}
	var tenders, refunds, totals, returned int64
	if err := s.e.Owner.QueryRow(`SELECT
			(SELECT coalesce(sum(amount), 0) FROM pos_sale_tenders WHERE tenant_id = $1) +
			(SELECT coalesce(sum((u->>'value')::bigint), 0) FROM pos_sales s, jsonb_array_elements(s.points_uses) u WHERE s.tenant_id = $1),
			(SELECT coalesce(sum(amount), 0) FROM pos_return_tenders WHERE tenant_id = $1),
			(SELECT coalesce(sum(total), 0) FROM pos_sales WHERE tenant_id = $1),
			(SELECT coalesce(sum(refund_total), 0) FROM pos_returns WHERE tenant_id = $1)`, id).Scan(&tenders, &refunds, &totals, &returned); err != nil {
		t.Fatal(err)
	}
	if tenders-refunds != totals-returned {
		t.Errorf("Σ tenders (points included) %d − Σ refunds %d ≠ Σ sales %d − Σ returns %d", tenders, refunds, totals, returned)
	}
}
