-- Inventory: stock per (store, SKU) kept as the running sum of immutable
-- movements, expiry lots, alert events (an outbox for notifications),
-- stocktakes and transfers between stores.
--
-- Quantities are thousandths of the unit (grams for weighed goods); money is
-- fen. A level carries its stock value in fen rather than an average cost,
-- so the moving average (stock_value / on_hand) never drifts: an issue
-- removes round(stock_value * qty / on_hand), and the issue that empties
-- the shelf removes exactly what is left.

-- +goose Up

-- One row per tenant (id is always 1); a missing row means the defaults.
CREATE TABLE inventory_settings (
    tenant_id            uuid NOT NULL REFERENCES tenants (id),
    id                   smallint NOT NULL DEFAULT 1 CHECK (id = 1),
    -- Whether a sale may take stock below zero. The default never loses a
    -- sale at the till (what Chinese POS vendors do); chains that want hard
    -- stock control turn it off.
    allow_negative_stock boolean NOT NULL DEFAULT true,
    near_expiry_days     integer NOT NULL DEFAULT 7 CHECK (near_expiry_days BETWEEN 0 AND 365),
    review_days          integer NOT NULL DEFAULT 7 CHECK (review_days BETWEEN 0 AND 90),
    updated_by           uuid,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT enable_tenant_rls('inventory_settings');

CREATE TABLE stock_levels (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    store_id         uuid NOT NULL,
    sku_id           uuid NOT NULL,
    on_hand          bigint NOT NULL DEFAULT 0,
    -- Shipped to this store by a transfer and not yet received.
    in_transit       bigint NOT NULL DEFAULT 0 CHECK (in_transit >= 0),
    -- Value of on_hand in fen (negative while on_hand is negative).
    stock_value      bigint NOT NULL DEFAULT 0,
    -- The last moving-average cost in fen per unit (1000 quantity units):
    -- what an issue from empty or negative stock is costed at.
    avg_cost         bigint NOT NULL DEFAULT 0 CHECK (avg_cost >= 0),
    -- Quantity held in expiry lots (stock_lots), so sales of goods without
    -- lots never look for any.
    lot_qty          bigint NOT NULL DEFAULT 0 CHECK (lot_qty >= 0),
    min_qty          bigint CHECK (min_qty >= 0),
    max_qty          bigint CHECK (max_qty >= 0),
    safety_qty       bigint NOT NULL DEFAULT 0 CHECK (safety_qty >= 0),
    lead_time_days   integer NOT NULL DEFAULT 2 CHECK (lead_time_days BETWEEN 0 AND 365),
    last_sale_at     timestamptz,
    last_movement_at timestamptz,
    version          bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, store_id, sku_id),
    CONSTRAINT stock_levels_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT stock_levels_sku_fkey FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
    CONSTRAINT stock_levels_empty_has_no_value CHECK (on_hand <> 0 OR stock_value = 0),
    CONSTRAINT stock_levels_min_below_max CHECK (min_qty IS NULL OR max_qty IS NULL OR min_qty <= max_qty)
);
CREATE INDEX stock_levels_sku_idx ON stock_levels (tenant_id, sku_id);
SELECT enable_tenant_rls('stock_levels');

-- Every change of on_hand is one row here, never updated or deleted:
-- on_hand = sum(qty) and stock_value = sum(cost_amount) per (store, sku).
CREATE TABLE stock_movements (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    store_id      uuid NOT NULL,
    sku_id        uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('receipt', 'sale', 'return', 'transfer_out', 'transfer_in',
                      'adjustment', 'stocktake', 'damage', 'expiry')),
    qty           bigint NOT NULL CHECK (qty <> 0),
    -- Signed value moved, in fen (negative for issues).
    cost_amount   bigint NOT NULL,
    -- Fen per unit the movement was costed at.
    unit_cost     bigint NOT NULL,
    on_hand_after bigint NOT NULL,
    source_type   text NOT NULL CHECK (source_type ~ '^[a-z_]{1,40}$'),
    source_id     uuid,
    reason        text NOT NULL DEFAULT '',
    user_id       uuid,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT stock_movements_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT stock_movements_sku_fkey FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
);
CREATE INDEX stock_movements_level_idx ON stock_movements (tenant_id, store_id, sku_id, occurred_at);
CREATE INDEX stock_movements_store_time_idx ON stock_movements (tenant_id, store_id, occurred_at);
CREATE INDEX stock_movements_source_idx ON stock_movements (tenant_id, source_type, source_id);
SELECT enable_tenant_rls('stock_movements');

-- +goose StatementBegin
CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock_movements is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();

-- Expiry lots: received quantities with their expiry date, consumed
-- first-expiring-first by issues.
CREATE TABLE stock_lots (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    store_id      uuid NOT NULL,
    sku_id        uuid NOT NULL,
    expiry_date   date NOT NULL,
    received_qty  bigint NOT NULL CHECK (received_qty > 0),
    remaining_qty bigint NOT NULL CHECK (remaining_qty >= 0),
    movement_id   uuid NOT NULL,
    alerted_at    timestamptz,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT stock_lots_level_fkey FOREIGN KEY (tenant_id, store_id, sku_id) REFERENCES stock_levels (tenant_id, store_id, sku_id),
    CONSTRAINT stock_lots_movement_fkey FOREIGN KEY (tenant_id, movement_id) REFERENCES stock_movements (tenant_id, id)
);
CREATE INDEX stock_lots_open_idx ON stock_lots (tenant_id, store_id, sku_id, expiry_date) WHERE remaining_qty > 0;
CREATE INDEX stock_lots_expiry_idx ON stock_lots (tenant_id, expiry_date) WHERE remaining_qty > 0;
SELECT enable_tenant_rls('stock_lots');

-- Alert events: an outbox the notification module drains (sent_at).
-- One row per crossing of a threshold, not per movement below it.
CREATE TABLE inventory_alert_events (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    store_id   uuid NOT NULL,
    sku_id     uuid NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('low_stock', 'out_of_stock', 'overstock', 'near_expiry')),
    qty        bigint NOT NULL,
    threshold  bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT inventory_alert_events_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT inventory_alert_events_sku_fkey FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
);
CREATE INDEX inventory_alert_events_unsent_idx ON inventory_alert_events (tenant_id, id) WHERE sent_at IS NULL;
SELECT enable_tenant_rls('inventory_alert_events');

-- Stocktakes (盘点). Opening one freezes the book quantity of every SKU in
-- scope; counts come in batches from scanners; posting applies
-- counted - book_at_open as stocktake movements.
CREATE TABLE stocktakes (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    store_id     uuid NOT NULL,
    status       text NOT NULL DEFAULT 'counting' CHECK (status IN ('counting', 'posted', 'cancelled')),
    scope        text NOT NULL CHECK (scope IN ('all', 'categories')),
    category_ids uuid[] NOT NULL DEFAULT '{}',
    blind        boolean NOT NULL DEFAULT false,
    note         text NOT NULL DEFAULT '',
    opened_by    uuid,
    opened_at    timestamptz NOT NULL DEFAULT now(),
    posted_by    uuid,
    posted_at    timestamptz,
    cancelled_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT stocktakes_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id)
);
CREATE INDEX stocktakes_store_idx ON stocktakes (tenant_id, store_id, id);
SELECT enable_tenant_rls('stocktakes');

CREATE TABLE stocktake_lines (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    stocktake_id uuid NOT NULL,
    sku_id       uuid NOT NULL,
    -- Frozen when the stocktake opened (0 for a SKU first counted later).
    book_qty     bigint NOT NULL,
    -- Fen per unit at open: what a variance is valued at in the review.
    unit_cost    bigint NOT NULL,
    counted_qty  bigint CHECK (counted_qty >= 0),
    PRIMARY KEY (tenant_id, stocktake_id, sku_id),
    CONSTRAINT stocktake_lines_stocktake_fkey FOREIGN KEY (tenant_id, stocktake_id) REFERENCES stocktakes (tenant_id, id),
    CONSTRAINT stocktake_lines_sku_fkey FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
);
SELECT enable_tenant_rls('stocktake_lines');

-- A scanner's batch of counts; its id makes a resend count once.
CREATE TABLE stocktake_batches (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    stocktake_id uuid NOT NULL,
    batch_id     text NOT NULL CHECK (length(batch_id) BETWEEN 1 AND 100),
    request_hash bytea NOT NULL,
    line_count   integer NOT NULL,
    created_by   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, stocktake_id, batch_id),
    CONSTRAINT stocktake_batches_stocktake_fkey FOREIGN KEY (tenant_id, stocktake_id) REFERENCES stocktakes (tenant_id, id)
);
SELECT enable_tenant_rls('stocktake_batches');

-- Transfers between stores. cross_entity: the stores belong to different
-- legal entities (HQ's direct stores, or different franchisees), so the
-- received value is pending settlement by the finance module.
CREATE TABLE transfers (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    id                uuid NOT NULL,
    from_store_id     uuid NOT NULL,
    to_store_id       uuid NOT NULL,
    status            text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'shipped', 'received', 'cancelled')),
    cross_entity      boolean NOT NULL,
    settlement_status text CHECK (settlement_status IN ('pending', 'settled')),
    note              text NOT NULL DEFAULT '',
    requested_by      uuid,
    approved_by       uuid,
    shipped_by        uuid,
    received_by       uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    approved_at       timestamptz,
    shipped_at        timestamptz,
    received_at       timestamptz,
    cancelled_at      timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT transfers_from_fkey FOREIGN KEY (tenant_id, from_store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT transfers_to_fkey FOREIGN KEY (tenant_id, to_store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT transfers_two_stores CHECK (from_store_id <> to_store_id)
);
CREATE INDEX transfers_from_idx ON transfers (tenant_id, from_store_id, status);
CREATE INDEX transfers_to_idx ON transfers (tenant_id, to_store_id, status);
SELECT enable_tenant_rls('transfers');

CREATE TABLE transfer_lines (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    transfer_id      uuid NOT NULL,
    sku_id           uuid NOT NULL,
    requested_qty    bigint NOT NULL CHECK (requested_qty > 0),
    shipped_qty      bigint CHECK (shipped_qty >= 0),
    received_qty     bigint CHECK (received_qty >= 0),
    -- Fen per unit at the source's moving average when shipped.
    unit_cost        bigint,
    shipped_value    bigint,
    received_value   bigint,
    -- received - shipped (negative: short) and its value at the shipped cost.
    difference_qty   bigint,
    difference_value bigint,
    PRIMARY KEY (tenant_id, transfer_id, sku_id),
    CONSTRAINT transfer_lines_transfer_fkey FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id),
    CONSTRAINT transfer_lines_sku_fkey FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
);
SELECT enable_tenant_rls('transfer_lines');

-- +goose Down
DROP TABLE transfer_lines, transfers, stocktake_batches, stocktake_lines, stocktakes, inventory_alert_events,
    stock_lots, stock_movements, stock_levels, inventory_settings;
DROP FUNCTION stock_movements_append_only();
