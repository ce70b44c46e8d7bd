package inventory

import (
	"context"

	"github.com/google/uuid"

	"chainstore/tenant"
	"chainstore/tenant/authz"
)

// Cost is the chain's margin, so stock cost is shown only to those who need
// it, as the catalog shows cost prices only to price setters and finance: a
// cashier reads stock to answer "do we have it" and sees quantities, with
// every cost and value field null. Whoever moves stock in a store
// (inventory:write: a receipt carries its unit cost) or reads its books
// (finance:read) sees cost there. Permissions granted chain-wide count in
// every store.

// seesCost reports whether p sees cost in any of stores.
func (h *HTTP) seesCost(ctx context.Context, p *tenant.Principal, stores ...uuid.UUID) (bool, error) {
	for _, store := range stores {
		for _, perm := range []authz.Permission{authz.InventoryWrite, authz.FinanceRead} {
			ok, err := h.authz.CanStore(ctx, p, store, perm)
			if err != nil || ok {
				return ok, err
			}
		}
	}
	return false, nil
}

// seesCostIn reports whether p sees cost in every store a report covers:
// the one it is filtered to, else the caller's scope for the report.
func (h *HTTP) seesCostIn(ctx context.Context, p *tenant.Principal, scope authz.StoreScope, store *uuid.UUID) (bool, error) {
	if store != nil {
		return h.seesCost(ctx, p, *store)
	}
	if scope.All {
		for _, perm := range []authz.Permission{authz.InventoryWrite, authz.FinanceRead} {
			if ok, err := h.authz.CanChain(ctx, p, perm); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	for _, st := range scope.Stores {
		if ok, err := h.seesCost(ctx, p, st); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// costByStore remembers seesCost per store for reports with a row per
// store.
func (h *HTTP) costByStore(ctx context.Context, p *tenant.Principal) func(uuid.UUID) (bool, error) {
	seen := map[uuid.UUID]bool{}
	return func(store uuid.UUID) (bool, error) {
		if ok, hit := seen[store]; hit {
			return ok, nil
		}
		ok, err := h.seesCost(ctx, p, store)
		seen[store] = ok
		return ok, err
	}
}

// orNull is &v when shown, else nil (JSON null).
func orNull(v int64, shown bool) *int64 {
	if !shown {
		return nil
	}
	return &v
}

// viewAll maps rows to their views.
func viewAll[T, V any](rows []T, view func(T) V) []V {
	out := make([]V, len(rows))
	for i, r := range rows {
		out[i] = view(r)
	}
	return out
}

// levelView is a Level with its cost fields null unless shown. The outer
// fields shadow the embedded ones of the same JSON name.
type levelView struct {
	Level
	StockValue *int64 `json:"stock_value"`
	AvgCost    *int64 `json:"avg_cost"`
}

func viewLevel(l Level, cost bool) levelView {
	return levelView{Level: l, StockValue: orNull(l.StockValue, cost), AvgCost: orNull(l.AvgCost, cost)}
}

type movementView struct {
	Movement
	CostAmount *int64 `json:"cost_amount"`
	UnitCost   *int64 `json:"unit_cost"`
}

func viewMovement(m Movement, cost bool) movementView {
	return movementView{Movement: m, CostAmount: orNull(m.CostAmount, cost), UnitCost: orNull(m.UnitCost, cost)}
}

type varianceView struct {
	Variance
	UnitCost     *int64 `json:"unit_cost"`
	VarianceCost *int64 `json:"variance_cost"`
}

type varianceReportView struct {
	VarianceReport
	Lines    []varianceView `json:"lines"`
	GainCost *int64         `json:"gain_cost"`
	LossCost *int64         `json:"loss_cost"`
	NetCost  *int64         `json:"net_cost"`
}

func viewVariances(r VarianceReport, cost bool) varianceReportView {
	out := varianceReportView{
		VarianceReport: r,
		Lines:          make([]varianceView, len(r.Lines)),
		GainCost:       orNull(r.GainCost, cost),
		LossCost:       orNull(r.LossCost, cost),
		NetCost:        orNull(r.NetCost, cost),
	}
	for i, v := range r.Lines {
		out.Lines[i] = varianceView{Variance: v, UnitCost: orNull(v.UnitCost, cost), VarianceCost: orNull(v.VarianceCost, cost)}
	}
	return out
}

type storeValueView struct {
	StoreValue
	StockValue *int64 `json:"stock_value"`
}

type slowMoverView struct {
	SlowMover
	StockValue *int64 `json:"stock_value"`
}

// turnoverView keeps turnover days (a ratio) for everyone and hides the
// values it comes from.
type turnoverView struct {
	Turnover
	StartValue *int64 `json:"start_value"`
	EndValue   *int64 `json:"end_value"`
	AvgValue   *int64 `json:"avg_value"`
	COGS       *int64 `json:"cogs"`
}

func viewTurnover(t Turnover, cost bool) turnoverView {
	return turnoverView{Turnover: t, StartValue: orNull(t.StartValue, cost), EndValue: orNull(t.EndValue, cost),
		AvgValue: orNull(t.AvgValue, cost), COGS: orNull(t.COGS, cost)}
}

// hideStocktakeCost nulls a stocktake's unit costs (its fields are already
// nullable: a blind count hides them from counters too).
func hideStocktakeCost(d *StocktakeDetail) {
	for i := range d.Lines {
		d.Lines[i].UnitCost = nil
	}
}

// hideTransferCost nulls a transfer's unit costs and values.
func hideTransferCost(t *Transfer) {
	for i := range t.Lines {
		l := &t.Lines[i]
		l.UnitCost, l.ShippedValue, l.ReceivedValue, l.DifferenceValue = nil, nil, nil, nil
	}
}
