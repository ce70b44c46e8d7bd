-- The POS (收银): registers and their device credentials, shifts with blind
-- counts, sales with their lines and tenders, external payments, returns,
-- voids, offline upload batches and e-invoice requests.
--
-- Money is fen; quantities are thousandths of the unit (grams for weighed
-- goods). A sale's id is a UUIDv7 made by the server, or by the till for a
-- sale made offline; it is the document every module's ledger names.

-- +goose Up

-- One row per tenant (id is always 1); a missing row means the defaults.
CREATE TABLE pos_settings (
    tenant_id              uuid NOT NULL REFERENCES tenants (id),
    id                     smallint NOT NULL DEFAULT 1 CHECK (id = 1),
    -- The tenant's rounding rule for a sale's total (抹零): fen, floor_jiao,
    -- floor_yuan, round_jiao (infra/money.Rounding).
    rounding               text NOT NULL DEFAULT 'fen' CHECK (rounding IN ('fen', 'floor_jiao', 'floor_yuan', 'round_jiao')),
    -- A shift's cash variance up to this (either way) posts at once to
    -- 现金短缺/溢余; a larger one waits for a manager.
    variance_tolerance     bigint NOT NULL DEFAULT 1000 CHECK (variance_tolerance BETWEEN 0 AND 100000000),
    -- A return above this refund total needs a manager's approval.
    return_approval_limit  bigint NOT NULL DEFAULT 20000 CHECK (return_approval_limit BETWEEN 0 AND 10000000000),
    -- The deepest manual discount or price override a cashier may give
    -- alone, in basis points of the line (0: none without approval).
    cashier_discount_bp    integer NOT NULL DEFAULT 0 CHECK (cashier_discount_bp BETWEEN 0 AND 10000),
    -- Points earned per sale need a member; points redeemed are worth
    -- members' points rule (value per point).
    receipt_footer         text NOT NULL DEFAULT '' CHECK (length(receipt_footer) <= 500),
    -- The seller on e-invoices (销售方): name and 纳税人识别号.
    seller_name            text NOT NULL DEFAULT '' CHECK (length(seller_name) <= 200),
    seller_tax_id          text NOT NULL DEFAULT '' CHECK (length(seller_tax_id) <= 20),
    updated_by             uuid,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT enable_tenant_rls('pos_settings');

-- A register (收银机) of one store. Its device credential is shown once
-- when it is registered; only its SHA-256 is kept.
CREATE TABLE pos_registers (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    store_id        uuid NOT NULL,
    code            text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,16}$'),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    offline_allowed boolean NOT NULL DEFAULT false,
    token_hash      bytea NOT NULL,
    -- The next receipt numbers: online sales draw "seq" inside the sale's
    -- transaction (so a rolled-back sale leaves no gap); offline sales carry
    -- the till's own series, checked for gaps on upload.
    next_seq        bigint NOT NULL DEFAULT 1 CHECK (next_seq >= 1),
    last_offline_seq bigint NOT NULL DEFAULT 0,
    registered_by   uuid,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    last_seen_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT pos_registers_code_key UNIQUE (tenant_id, store_id, code),
    CONSTRAINT pos_registers_token_key UNIQUE (tenant_id, token_hash),
    CONSTRAINT pos_registers_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id)
);
SELECT enable_tenant_rls('pos_registers');

-- A cashier's shift (班次) at one register: opened with a float, closed
-- with a blind count per tender.
CREATE TABLE pos_shifts (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    store_id       uuid NOT NULL,
    register_id    uuid NOT NULL,
    cashier_id     uuid NOT NULL,
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending_approval', 'closed')),
    business_date  date NOT NULL,
    opening_float  bigint NOT NULL CHECK (opening_float BETWEEN 0 AND 100000000),
    opened_at      timestamptz NOT NULL DEFAULT now(),
    closed_at      timestamptz,
    -- Cash counted minus cash expected at close (negative: short).
    cash_variance  bigint,
    approved_by    uuid,
    approved_at    timestamptz,
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT pos_shifts_register_fkey FOREIGN KEY (tenant_id, register_id) REFERENCES pos_registers (tenant_id, id),
    CONSTRAINT pos_shifts_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT pos_shifts_cashier_fkey FOREIGN KEY (tenant_id, cashier_id) REFERENCES users (tenant_id, id)
);
-- One open shift per register.
CREATE UNIQUE INDEX pos_shifts_open_key ON pos_shifts (tenant_id, register_id) WHERE status = 'open';
CREATE INDEX pos_shifts_store_idx ON pos_shifts (tenant_id, store_id, business_date);
SELECT enable_tenant_rls('pos_shifts');

-- The close of a shift, per tender: what the drawer should hold and what
-- the cashier counted without seeing it.
CREATE TABLE pos_shift_counts (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    shift_id   uuid NOT NULL,
    method     text NOT NULL CHECK (method ~ '^[a-z_]{1,20}$'),
    expected   bigint NOT NULL,
    counted    bigint NOT NULL,
    PRIMARY KEY (tenant_id, shift_id, method),
    CONSTRAINT pos_shift_counts_shift_fkey FOREIGN KEY (tenant_id, shift_id) REFERENCES pos_shifts (tenant_id, id)
);
SELECT enable_tenant_rls('pos_shift_counts');

CREATE TABLE pos_sales (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    store_id       uuid NOT NULL,
    register_id    uuid NOT NULL,
    shift_id       uuid NOT NULL,
    cashier_id     uuid NOT NULL,
    member_id      uuid,
    -- R000123 online, F000045 for the till's offline series.
    receipt_no     text NOT NULL,
    status         text NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'voided')),
    offline        boolean NOT NULL DEFAULT false,
    -- Offline conflicts accepted because the goods had left (stock below
    -- zero, a coupon used twice, a frozen member …), for the manager.
    flags          text[] NOT NULL DEFAULT '{}',
    business_date  date NOT NULL,
    sold_at        timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    gross          bigint NOT NULL CHECK (gross >= 0),
    discount       bigint NOT NULL,
    rounding       bigint NOT NULL,
    total          bigint NOT NULL CHECK (total >= 0),
    paid           bigint NOT NULL CHECK (paid >= 0),
    change_given   bigint NOT NULL DEFAULT 0 CHECK (change_given >= 0),
    cogs           bigint NOT NULL DEFAULT 0,
    points_earned  bigint NOT NULL DEFAULT 0,
    points_used    bigint NOT NULL DEFAULT 0,
    returned_total bigint NOT NULL DEFAULT 0 CHECK (returned_total >= 0),
    voided_at      timestamptz,
    voided_by      uuid,
    -- The promotions and coupons applied, with their explanations (zh/en).
    applied        jsonb NOT NULL DEFAULT '[]',
    -- The members ledger entries of the sale (points earned and used) and
    -- the points' value per issuing store, which returns give back in part.
    earn_entry_id   uuid,
    redeem_entry_id uuid,
    points_uses     jsonb NOT NULL DEFAULT '[]',
    einvoice_token bytea NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT pos_sales_receipt_key UNIQUE (tenant_id, register_id, receipt_no),
    CONSTRAINT pos_sales_register_fkey FOREIGN KEY (tenant_id, register_id) REFERENCES pos_registers (tenant_id, id),
    CONSTRAINT pos_sales_shift_fkey FOREIGN KEY (tenant_id, shift_id) REFERENCES pos_shifts (tenant_id, id),
    CONSTRAINT pos_sales_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT pos_sales_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id),
    CONSTRAINT pos_sales_returns_within_total CHECK (returned_total <= total)
);
CREATE INDEX pos_sales_store_time_idx ON pos_sales (tenant_id, store_id, sold_at);
CREATE INDEX pos_sales_day_idx ON pos_sales (tenant_id, business_date, store_id);
CREATE INDEX pos_sales_shift_idx ON pos_sales (tenant_id, shift_id);
CREATE INDEX pos_sales_member_idx ON pos_sales (tenant_id, member_id, sold_at) WHERE member_id IS NOT NULL;
CREATE INDEX pos_sales_cashier_idx ON pos_sales (tenant_id, cashier_id, sold_at);
CREATE INDEX pos_sales_receipt_idx ON pos_sales (tenant_id, store_id, receipt_no);
SELECT enable_tenant_rls('pos_sales');

CREATE TABLE pos_sale_lines (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    sale_id        uuid NOT NULL,
    line_no        integer NOT NULL CHECK (line_no BETWEEN 1 AND 1000),
    sku_id         uuid NOT NULL,
    name           text NOT NULL,
    barcode        text NOT NULL DEFAULT '',
    weighed        boolean NOT NULL DEFAULT false,
    qty            bigint NOT NULL CHECK (qty > 0),
    -- The price in force, and the one charged when overridden.
    list_price     bigint NOT NULL CHECK (list_price >= 0),
    unit_price     bigint NOT NULL CHECK (unit_price >= 0),
    gross          bigint NOT NULL CHECK (gross >= 0),
    discount       bigint NOT NULL,
    net            bigint NOT NULL CHECK (net >= 0),
    vat_rate_bp    integer NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
    cost           bigint NOT NULL DEFAULT 0,
    returned_qty   bigint NOT NULL DEFAULT 0,
    returned_net   bigint NOT NULL DEFAULT 0,
    -- Each promotion's, coupon's, manual discount's and rounding's share of
    -- this line (what returns take back and margin reports read).
    allocations    jsonb NOT NULL DEFAULT '[]',
    override_reason text NOT NULL DEFAULT '',
    approved_by    uuid,
    PRIMARY KEY (tenant_id, sale_id, line_no),
    CONSTRAINT pos_sale_lines_sale_fkey FOREIGN KEY (tenant_id, sale_id) REFERENCES pos_sales (tenant_id, id),
    CONSTRAINT pos_sale_lines_sku_fkey FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
    CONSTRAINT pos_sale_lines_returns_within_sold CHECK (returned_qty BETWEEN 0 AND qty AND returned_net BETWEEN 0 AND net)
);
CREATE INDEX pos_sale_lines_sku_idx ON pos_sale_lines (tenant_id, sku_id);
SELECT enable_tenant_rls('pos_sale_lines');

-- How a sale was paid. Cash carries the change given; an external tender
-- names its payment; stored value the members ledger entry.
CREATE TABLE pos_sale_tenders (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    sale_id     uuid NOT NULL,
    tender_no   integer NOT NULL CHECK (tender_no BETWEEN 1 AND 20),
    method      text NOT NULL CHECK (method ~ '^[a-z_]{1,20}$'),
    amount      bigint NOT NULL CHECK (amount >= 0),
    tendered    bigint NOT NULL CHECK (tendered >= amount),
    payment_id  uuid,
    reference   text NOT NULL DEFAULT '',
    refunded    bigint NOT NULL DEFAULT 0 CHECK (refunded BETWEEN 0 AND amount),
    PRIMARY KEY (tenant_id, sale_id, tender_no),
    CONSTRAINT pos_sale_tenders_sale_fkey FOREIGN KEY (tenant_id, sale_id) REFERENCES pos_sales (tenant_id, id)
);
SELECT enable_tenant_rls('pos_sale_tenders');

-- External payments (scan-to-pay 付款码, card terminals). The id is the
-- till's, sent to the provider as its order number: a retry, or a query
-- after a lost answer, never charges twice.
CREATE TABLE pos_payments (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    store_id       uuid NOT NULL,
    register_id    uuid NOT NULL,
    method         text NOT NULL CHECK (method IN ('wechat', 'alipay', 'unionpay', 'card')),
    amount         bigint NOT NULL CHECK (amount > 0),
    status         text NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'cancelled', 'refunded')),
    provider_ref   text NOT NULL DEFAULT '',
    decline_code   text NOT NULL DEFAULT '',
    -- The customer's code is never stored: its last four digits only.
    code_last4     text NOT NULL DEFAULT '',
    sale_id        uuid,
    refunded       bigint NOT NULL DEFAULT 0 CHECK (refunded BETWEEN 0 AND amount),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT pos_payments_register_fkey FOREIGN KEY (tenant_id, register_id) REFERENCES pos_registers (tenant_id, id),
    -- Deferred: a sale claims its payments (locking them) before it
    -- writes its own row, in the same transaction.
    CONSTRAINT pos_payments_sale_fkey FOREIGN KEY (tenant_id, sale_id) REFERENCES pos_sales (tenant_id, id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX pos_payments_unused_idx ON pos_payments (tenant_id, created_at) WHERE sale_id IS NULL AND status = 'approved';
SELECT enable_tenant_rls('pos_payments');

-- A return (退货) against one sale, whole or part.
CREATE TABLE pos_returns (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    -- A void (作废) is the whole last sale of a shift taken back at once.
    kind          text NOT NULL DEFAULT 'return' CHECK (kind IN ('return', 'void')),
    sale_id       uuid NOT NULL,
    store_id      uuid NOT NULL,
    register_id   uuid NOT NULL,
    shift_id      uuid NOT NULL,
    cashier_id    uuid NOT NULL,
    approved_by   uuid,
    reason        text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    business_date date NOT NULL,
    returned_at   timestamptz NOT NULL,
    refund_total  bigint NOT NULL CHECK (refund_total >= 0),
    points_reversed bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT pos_returns_sale_fkey FOREIGN KEY (tenant_id, sale_id) REFERENCES pos_sales (tenant_id, id),
    CONSTRAINT pos_returns_shift_fkey FOREIGN KEY (tenant_id, shift_id) REFERENCES pos_shifts (tenant_id, id)
);
CREATE INDEX pos_returns_sale_idx ON pos_returns (tenant_id, sale_id);
CREATE INDEX pos_returns_shift_idx ON pos_returns (tenant_id, shift_id);
CREATE INDEX pos_returns_day_idx ON pos_returns (tenant_id, business_date, store_id);
SELECT enable_tenant_rls('pos_returns');

CREATE TABLE pos_return_lines (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    return_id   uuid NOT NULL,
    line_no     integer NOT NULL,
    qty         bigint NOT NULL CHECK (qty > 0),
    refund      bigint NOT NULL CHECK (refund >= 0),
    restock     boolean NOT NULL,
    cost        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, return_id, line_no),
    CONSTRAINT pos_return_lines_return_fkey FOREIGN KEY (tenant_id, return_id) REFERENCES pos_returns (tenant_id, id)
);
SELECT enable_tenant_rls('pos_return_lines');

CREATE TABLE pos_return_tenders (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    return_id   uuid NOT NULL,
    tender_no   integer NOT NULL,
    method      text NOT NULL,
    amount      bigint NOT NULL CHECK (amount >= 0),
    reference   text NOT NULL DEFAULT '',
    -- An external tender's refund is asked of the provider after the
    -- return commits: pending until it answers (a task retries).
    payment_id  uuid,
    status      text NOT NULL DEFAULT 'done' CHECK (status IN ('done', 'pending', 'failed')),
    PRIMARY KEY (tenant_id, return_id, tender_no),
    CONSTRAINT pos_return_tenders_return_fkey FOREIGN KEY (tenant_id, return_id) REFERENCES pos_returns (tenant_id, id)
);
CREATE INDEX pos_return_tenders_pending_idx ON pos_return_tenders (tenant_id, return_id) WHERE status = 'pending';
SELECT enable_tenant_rls('pos_return_tenders');

-- A register's upload of sales made offline. The batch id is the till's:
-- uploading it again creates nothing twice.
CREATE TABLE pos_offline_batches (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    register_id  uuid NOT NULL,
    request_hash bytea NOT NULL,
    sale_count   integer NOT NULL,
    uploaded_by  uuid,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT pos_offline_batches_register_fkey FOREIGN KEY (tenant_id, register_id) REFERENCES pos_registers (tenant_id, id)
);
SELECT enable_tenant_rls('pos_offline_batches');

-- Each uploaded sale's fate: accepted, or accepted and flagged for the
-- manager (who marks it reviewed).
CREATE TABLE pos_offline_sales (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    sale_id      uuid NOT NULL,
    batch_id     uuid NOT NULL,
    register_id  uuid NOT NULL,
    status       text NOT NULL CHECK (status IN ('accepted', 'flagged', 'reviewed')),
    flags        text[] NOT NULL DEFAULT '{}',
    reviewed_by  uuid,
    reviewed_at  timestamptz,
    PRIMARY KEY (tenant_id, sale_id),
    CONSTRAINT pos_offline_sales_sale_fkey FOREIGN KEY (tenant_id, sale_id) REFERENCES pos_sales (tenant_id, id),
    CONSTRAINT pos_offline_sales_batch_fkey FOREIGN KEY (tenant_id, batch_id) REFERENCES pos_offline_batches (tenant_id, id)
);
CREATE INDEX pos_offline_sales_register_idx ON pos_offline_sales (tenant_id, register_id, status);
SELECT enable_tenant_rls('pos_offline_sales');

-- E-invoices (电子发票): one blue invoice per sale, a red one per return of
-- an invoiced sale.
CREATE TABLE pos_einvoices (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    sale_id       uuid NOT NULL,
    return_id     uuid,
    kind          text NOT NULL CHECK (kind IN ('blue', 'red')),
    buyer_title   text NOT NULL CHECK (length(buyer_title) BETWEEN 1 AND 200),
    buyer_tax_id  text NOT NULL DEFAULT '',
    buyer_email   text NOT NULL DEFAULT '',
    total         bigint NOT NULL,
    status        text NOT NULL CHECK (status IN ('pending', 'issued', 'failed')),
    number        text NOT NULL DEFAULT '',
    pdf_url       text NOT NULL DEFAULT '',
    error         text NOT NULL DEFAULT '',
    requested_at  timestamptz NOT NULL DEFAULT now(),
    issued_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT pos_einvoices_sale_fkey FOREIGN KEY (tenant_id, sale_id) REFERENCES pos_sales (tenant_id, id),
    CONSTRAINT pos_einvoices_return_fkey FOREIGN KEY (tenant_id, return_id) REFERENCES pos_returns (tenant_id, id)
);
CREATE UNIQUE INDEX pos_einvoices_blue_key ON pos_einvoices (tenant_id, sale_id) WHERE kind = 'blue';
CREATE UNIQUE INDEX pos_einvoices_red_key ON pos_einvoices (tenant_id, return_id) WHERE kind = 'red';
SELECT enable_tenant_rls('pos_einvoices');

-- A manager's approval PIN for the till (price overrides, returns above
-- the limit, voids, variances): argon2id, locked after repeated failures.
CREATE TABLE pos_approval_pins (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    user_id       uuid NOT NULL,
    pin_hash      text NOT NULL,
    failures      integer NOT NULL DEFAULT 0,
    locked_until  timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id),
    CONSTRAINT pos_approval_pins_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
SELECT enable_tenant_rls('pos_approval_pins');

-- +goose Down
DROP TABLE pos_approval_pins, pos_einvoices, pos_offline_sales, pos_offline_batches, pos_return_tenders, pos_return_lines, pos_returns,
    pos_payments, pos_sale_tenders, pos_sale_lines, pos_sales, pos_shift_counts, pos_shifts, pos_registers, pos_settings;
