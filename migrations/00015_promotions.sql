-- Promotions (issue: the promotions module's storage and API). The pricing
-- engine (modules/promotions, engine.go) reads promotions and coupons in
-- its own shapes; these tables keep them, who owns them, their status,
-- budgets and per-member limits, the coupon batches and the coupons they
-- issue, and an append-only usage ledger the POS writes through the
-- service, which feeds effect evaluation and lets a void or return give
-- budget, uses and coupons back.
--
-- Storage decisions:
--   * The engine's parameter blocks (rule, items, audience, the window's
--     weekdays and hours) are jsonb in the engine's own JSON shape
--     (promotions.Rule, Items, Audience, {weekdays, times}); the service
--     validates them with Promotion.Validate before writing and reads them
--     back whole into the in-process cache. Nothing queries inside them.
--   * What lists filter on is columns: kind, status, owner, store scope
--     (store_scope + store_ids uuid[]), and the window's instants
--     (starts_at inclusive, ends_at exclusive).
--   * Money is bigint fen; quantities bigint thousandths of the unit.

-- +goose Up

-- One row per chain (id is always 1); a missing row means the defaults:
-- franchisees may not run their own promotions, and franchise stores take
-- every HQ promotion that covers them.
CREATE TABLE promotion_settings (
    tenant_id            uuid NOT NULL REFERENCES tenants (id),
    id                   smallint NOT NULL DEFAULT 1 CHECK (id = 1),
    -- Franchisees may run promotions of their own in their stores ...
    franchise_promotions boolean NOT NULL DEFAULT false,
    -- ... never deeper than this many basis points off (see the service's
    -- depth rule per kind), and
    franchise_max_off_bp integer NOT NULL DEFAULT 0 CHECK (franchise_max_off_bp BETWEEN 0 AND 10000),
    -- franchise stores may opt out of HQ promotions that are not forced.
    franchise_opt_out    boolean NOT NULL DEFAULT false,
    updated_by           uuid,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT enable_tenant_rls('promotion_settings');

-- Promotions. franchisee_id is the owner: NULL is HQ, else the franchisee
-- whose stores alone it may apply in. forced (HQ only) puts it on every
-- franchise store its scope covers, opt-outs notwithstanding. budget (fen)
-- caps the total discount; spent is what budgeted promotions have given
-- (kept only when there is a budget: it is the row the till's conditional
-- update charges; effect figures come from the ledger).
CREATE TABLE promotions (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL,
    franchisee_id    uuid,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_en          text NOT NULL DEFAULT '' CHECK (length(name_en) <= 100),
    kind             text NOT NULL CHECK (kind IN ('special_price', 'member_price', 'percent_off', 'amount_off', 'tier_discount',
                                                  'buy_n_get_m', 'nth_item', 'bundle', 'spend_amount_off', 'spend_percent_off')),
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'ended')),
    priority         integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -1000 AND 1000),
    exclusive        boolean NOT NULL DEFAULT false,
    stacking_group   text NOT NULL DEFAULT '' CHECK (length(stacking_group) <= 40),
    forced           boolean NOT NULL DEFAULT false,
    store_scope      text NOT NULL DEFAULT 'all' CHECK (store_scope IN ('all', 'list', 'direct', 'franchise')),
    store_ids        uuid[] NOT NULL DEFAULT '{}',
    items            jsonb NOT NULL DEFAULT '{}',
    audience         jsonb NOT NULL DEFAULT '{}',
    starts_at        timestamptz,
    ends_at          timestamptz,
    clock            jsonb NOT NULL DEFAULT '{}',
    rule             jsonb NOT NULL DEFAULT '{}',
    budget           bigint CHECK (budget > 0),
    spent            bigint NOT NULL DEFAULT 0 CHECK (spent >= 0),
    per_member_limit integer CHECK (per_member_limit > 0),
    created_by       uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT promotions_franchisee_fkey FOREIGN KEY (tenant_id, franchisee_id) REFERENCES franchisees (tenant_id, id),
    CONSTRAINT promotions_forced_is_hq CHECK (NOT forced OR franchisee_id IS NULL),
    CONSTRAINT promotions_window CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at),
    CONSTRAINT promotions_list_scope CHECK ((store_scope = 'list') = (cardinality(store_ids) > 0))
);
CREATE INDEX promotions_status_idx ON promotions (tenant_id, status, id);
CREATE INDEX promotions_franchisee_idx ON promotions (tenant_id, franchisee_id) WHERE franchisee_id IS NOT NULL;
SELECT enable_tenant_rls('promotions');

-- A franchise store's opt-out of an HQ promotion that is not forced
-- (honoured while the settings allow opting out).
CREATE TABLE promotion_opt_outs (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    promotion_id uuid NOT NULL,
    store_id     uuid NOT NULL,
    created_by   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, promotion_id, store_id),
    CONSTRAINT promotion_opt_outs_promotion_fkey FOREIGN KEY (tenant_id, promotion_id) REFERENCES promotions (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT promotion_opt_outs_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id)
);
CREATE INDEX promotion_opt_outs_store_idx ON promotion_opt_outs (tenant_id, store_id);
SELECT enable_tenant_rls('promotion_opt_outs');

-- Sales each member has used a promotion in (promotions with a
-- per_member_limit only), counted by the till's conditional upsert.
CREATE TABLE promotion_member_uses (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    promotion_id uuid NOT NULL,
    member_id    uuid NOT NULL,
    uses         integer NOT NULL CHECK (uses >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, promotion_id, member_id),
    CONSTRAINT promotion_member_uses_promotion_fkey FOREIGN KEY (tenant_id, promotion_id) REFERENCES promotions (tenant_id, id),
    CONSTRAINT promotion_member_uses_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id)
);
CREATE INDEX promotion_member_uses_member_idx ON promotion_member_uses (tenant_id, member_id);
SELECT enable_tenant_rls('promotion_member_uses');

-- Coupon batches: the coupon template (the engine's coupon_amount or
-- coupon_percent rule with its threshold, cap and item/store scope), how
-- its coupons are issued (to members, by a campaign, or as printed codes),
-- how many it may issue, and their validity: a fixed interval, or
-- valid_days from each coupon's issue. HQ runs coupon batches.
CREATE TABLE coupon_batches (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_en        text NOT NULL DEFAULT '' CHECK (length(name_en) <= 100),
    kind           text NOT NULL CHECK (kind IN ('coupon_amount', 'coupon_percent')),
    issue_mode     text NOT NULL CHECK (issue_mode IN ('member', 'campaign', 'printed')),
    priority       integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -1000 AND 1000),
    exclusive      boolean NOT NULL DEFAULT false,
    stacking_group text NOT NULL DEFAULT '' CHECK (length(stacking_group) <= 40),
    store_scope    text NOT NULL DEFAULT 'all' CHECK (store_scope IN ('all', 'list', 'direct', 'franchise')),
    store_ids      uuid[] NOT NULL DEFAULT '{}',
    items          jsonb NOT NULL DEFAULT '{}',
    audience       jsonb NOT NULL DEFAULT '{}',
    rule           jsonb NOT NULL DEFAULT '{}',
    quantity       integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    issued         integer NOT NULL DEFAULT 0 CHECK (issued >= 0 AND issued <= quantity),
    valid_from     timestamptz,
    valid_until    timestamptz,
    valid_days     integer CHECK (valid_days BETWEEN 1 AND 3660),
    created_by     uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT coupon_batches_validity CHECK ((valid_until IS NULL) <> (valid_days IS NULL)),
    CONSTRAINT coupon_batches_interval CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_until > valid_from),
    CONSTRAINT coupon_batches_list_scope CHECK ((store_scope = 'list') = (cardinality(store_ids) > 0))
);
SELECT enable_tenant_rls('coupon_batches');

-- Coupons: one per code (unique in the chain; printed codes are 12
-- characters of an unambiguous alphabet), optionally bound to a member.
-- Single use: issued → redeemed by one sale (a conditional update), back
-- to issued only when that sale is voided; void is final. expired is set
-- by the housekeeping task once valid_until has passed (readers treat an
-- issued coupon past valid_until as expired already).
CREATE TABLE coupons (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    id                uuid NOT NULL,
    batch_id          uuid NOT NULL,
    code              text NOT NULL CHECK (code ~ '^[A-Z0-9]{6,32}$'),
    member_id         uuid,
    status            text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'redeemed', 'expired', 'void')),
    valid_from        timestamptz NOT NULL,
    valid_until       timestamptz NOT NULL,
    issued_at         timestamptz NOT NULL DEFAULT now(),
    issued_by         uuid,
    redeemed_at       timestamptz,
    redeemed_doc_type text,
    redeemed_doc_id   uuid,
    redeemed_store_id uuid,
    voided_at         timestamptz,
    voided_by         uuid,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT coupons_code_key UNIQUE (tenant_id, code),
    CONSTRAINT coupons_batch_fkey FOREIGN KEY (tenant_id, batch_id) REFERENCES coupon_batches (tenant_id, id),
    CONSTRAINT coupons_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id),
    CONSTRAINT coupons_store_fkey FOREIGN KEY (tenant_id, redeemed_store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT coupons_validity CHECK (valid_until > valid_from),
    CONSTRAINT coupons_redeemed CHECK ((status = 'redeemed') = (redeemed_at IS NOT NULL))
);
CREATE INDEX coupons_batch_idx ON coupons (tenant_id, batch_id, id);
CREATE INDEX coupons_member_idx ON coupons (tenant_id, member_id, id) WHERE member_id IS NOT NULL;
SELECT enable_tenant_rls('coupons');

-- A sale the POS consumed promotions for: the idempotency gate of Consume
-- (one row per sale document) and what a void or return releases against.
CREATE TABLE promotion_sales (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    sale_type     text NOT NULL CHECK (sale_type ~ '^[a-z][a-z_]{0,39}$'),
    sale_id       uuid NOT NULL,
    store_id      uuid NOT NULL,
    member_id     uuid,
    business_date date NOT NULL,
    offline       boolean NOT NULL DEFAULT false,
    voided_at     timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, sale_type, sale_id),
    CONSTRAINT promotion_sales_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT promotion_sales_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id)
);
SELECT enable_tenant_rls('promotion_sales');

-- A void or return released against a sale: the idempotency gate of Release.
CREATE TABLE promotion_reversals (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    doc_type      text NOT NULL CHECK (doc_type ~ '^[a-z][a-z_]{0,39}$'),
    doc_id        uuid NOT NULL,
    sale_type     text NOT NULL,
    sale_id       uuid NOT NULL,
    void          boolean NOT NULL,
    business_date date NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, doc_type, doc_id),
    CONSTRAINT promotion_reversals_sale_fkey FOREIGN KEY (tenant_id, sale_type, sale_id) REFERENCES promotion_sales (tenant_id, sale_type, sale_id)
);
CREATE INDEX promotion_reversals_sale_idx ON promotion_reversals (tenant_id, sale_type, sale_id);
SELECT enable_tenant_rls('promotion_reversals');

-- The usage ledger (append-only). One row per promotion or coupon a
-- document used: the sale's rows carry the discount given (fen) and the
-- units it covered (thousandths); a void's or return's rows carry what it
-- gave back, negative. budget_charged is what the row charged to the
-- promotion's budget (negative: gave back); use_counted is +1 when the
-- sale counted a member use, −1 when a void gave it back. over flags an
-- offline upload accepted past a budget, a member limit or a used coupon.
-- ref_id is the coupon for a coupon's row, else the promotion: one row per
-- (document, ref).
CREATE TABLE promotion_usage (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    doc_type       text NOT NULL,
    doc_id         uuid NOT NULL,
    sale_type      text NOT NULL,
    sale_id        uuid NOT NULL,
    ref_id         uuid NOT NULL,
    promotion_id   uuid,
    batch_id       uuid,
    coupon_id      uuid,
    store_id       uuid NOT NULL,
    member_id      uuid,
    business_date  date NOT NULL,
    discount       bigint NOT NULL,
    units          bigint NOT NULL DEFAULT 0,
    budget_charged bigint NOT NULL DEFAULT 0,
    use_counted    smallint NOT NULL DEFAULT 0 CHECK (use_counted BETWEEN -1 AND 1),
    over           text CHECK (over IN ('budget', 'member_limit', 'coupon_used')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT promotion_usage_doc_key UNIQUE (tenant_id, doc_type, doc_id, ref_id),
    CONSTRAINT promotion_usage_sale_fkey FOREIGN KEY (tenant_id, sale_type, sale_id) REFERENCES promotion_sales (tenant_id, sale_type, sale_id),
    CONSTRAINT promotion_usage_promotion_fkey FOREIGN KEY (tenant_id, promotion_id) REFERENCES promotions (tenant_id, id),
    CONSTRAINT promotion_usage_batch_fkey FOREIGN KEY (tenant_id, batch_id) REFERENCES coupon_batches (tenant_id, id),
    CONSTRAINT promotion_usage_coupon_fkey FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id),
    CONSTRAINT promotion_usage_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT promotion_usage_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id),
    CONSTRAINT promotion_usage_one_ref CHECK ((promotion_id IS NULL) <> (batch_id IS NULL) AND (batch_id IS NULL) = (coupon_id IS NULL))
);
CREATE INDEX promotion_usage_sale_idx ON promotion_usage (tenant_id, sale_type, sale_id);
CREATE INDEX promotion_usage_promotion_idx ON promotion_usage (tenant_id, promotion_id, business_date) WHERE promotion_id IS NOT NULL;
CREATE INDEX promotion_usage_batch_idx ON promotion_usage (tenant_id, batch_id, business_date) WHERE batch_id IS NOT NULL;
SELECT enable_tenant_rls('promotion_usage');
CREATE TRIGGER promotion_usage_append_only BEFORE UPDATE OR DELETE ON promotion_usage FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- +goose Down
DROP TABLE promotion_usage;
DROP TABLE promotion_reversals;
DROP TABLE promotion_sales;
DROP TABLE coupons;
DROP TABLE coupon_batches;
DROP TABLE promotion_member_uses;
DROP TABLE promotion_opt_outs;
DROP TABLE promotions;
DROP TABLE promotion_settings;
