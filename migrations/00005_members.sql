-- Members (issue 4): encrypted profiles, one card per member, tiers,
-- points in lots with expiry, stored value with principal and bonus apart,
-- birthday gifts and coupons. Ledgers are append-only (a trigger refuses
-- UPDATE and DELETE); every entry records the store (NULL for HQ/online),
-- so value moved between legal entities can be cleared later.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd

-- Tiers (等级), ordered by rank (0 = the entry tier). A member qualifies
-- for a tier when the points earned (basis points) or the amount spent
-- (basis spend, fen) within the last window_days reaches threshold.
CREATE TABLE member_tiers (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    id                uuid NOT NULL,
    code              text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    rank              integer NOT NULL CHECK (rank BETWEEN 0 AND 100),
    basis             text NOT NULL DEFAULT 'spend' CHECK (basis IN ('points', 'spend')),
    threshold         bigint NOT NULL DEFAULT 0 CHECK (threshold >= 0),
    window_days       integer NOT NULL DEFAULT 365 CHECK (window_days BETWEEN 1 AND 3660),
    -- Benefits: discount in basis points off the price (500 = 5% off),
    -- points multiplier in percent (150 = 1.5x), birthday gift, member prices.
    discount_bp       integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    points_multiplier integer NOT NULL DEFAULT 100 CHECK (points_multiplier BETWEEN 0 AND 10000),
    birthday_points   bigint NOT NULL DEFAULT 0 CHECK (birthday_points >= 0),
    birthday_coupon   text CHECK (birthday_coupon ~ '^[A-Za-z0-9_-]{1,40}$'),
    member_price      boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT member_tiers_code_key UNIQUE (tenant_id, code),
    CONSTRAINT member_tiers_rank_key UNIQUE (tenant_id, rank)
);
SELECT enable_tenant_rls('member_tiers');

-- Members. name, phone, birthday and address are AES-256-GCM ciphertexts
-- (infra/pii: key id inside each value, bound to the row by its AAD);
-- phone_index is the HMAC blind index of the normalised phone. birth_month
-- is kept in clear so the birthday job needs no decryption (a documented
-- trade-off: a month alone identifies nobody). Erased members keep their
-- row (ledgers point at it) with every personal column cleared.
CREATE TABLE members (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    id                uuid NOT NULL,
    name_enc          bytea,
    phone_enc         bytea,
    birthday_enc      bytea,
    address_enc       bytea,
    phone_index       bytea,
    birth_month       smallint CHECK (birth_month BETWEEN 1 AND 12),
    gender            text NOT NULL DEFAULT 'unknown' CHECK (gender IN ('male', 'female', 'unknown')),
    register_store_id uuid,
    channel           text NOT NULL CHECK (channel IN ('store', 'mini_program', 'import', 'console')),
    marketing_consent boolean NOT NULL DEFAULT false,
    tags              text[] NOT NULL DEFAULT '{}',
    tier_id           uuid,
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'erased')),
    merged_into       uuid,
    total_spend       bigint NOT NULL DEFAULT 0,
    visit_count       integer NOT NULL DEFAULT 0,
    last_visit_at     timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    erased_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT members_phone_key UNIQUE (tenant_id, phone_index),
    CONSTRAINT members_store_fkey FOREIGN KEY (tenant_id, register_store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT members_tier_fkey FOREIGN KEY (tenant_id, tier_id) REFERENCES member_tiers (tenant_id, id),
    CONSTRAINT members_merged_fkey FOREIGN KEY (tenant_id, merged_into) REFERENCES members (tenant_id, id)
);
CREATE INDEX members_tier_idx ON members (tenant_id, tier_id);
-- Foreign keys need an index on the referencing side, or deleting a member
-- scans the table for rows merged into it.
CREATE INDEX members_merged_idx ON members (tenant_id, merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX members_tags_idx ON members USING gin (tags);
CREATE INDEX members_birth_month_idx ON members (tenant_id, birth_month) WHERE status = 'active';
SELECT enable_tenant_rls('members');

-- Balances, one row per member: points and stored value (principal and
-- bonus apart, as they account differently). Never negative.
CREATE TABLE member_accounts (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    member_id         uuid NOT NULL,
    points            bigint NOT NULL DEFAULT 0 CHECK (points >= 0),
    balance_principal bigint NOT NULL DEFAULT 0 CHECK (balance_principal >= 0),
    balance_bonus     bigint NOT NULL DEFAULT 0 CHECK (balance_bonus >= 0),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, member_id),
    CONSTRAINT member_accounts_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id)
);
SELECT enable_tenant_rls('member_accounts');

-- Cards: one live (active or frozen) card per member (一卡一员); a lost
-- card stays 'lost' until reissued, then 'cancelled' (its number is dead).
CREATE TABLE member_cards (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    member_id   uuid NOT NULL,
    number      text NOT NULL CHECK (number ~ '^[A-Za-z0-9]{6,32}$'),
    kind        text NOT NULL DEFAULT 'virtual' CHECK (kind IN ('physical', 'virtual')),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'lost', 'cancelled')),
    replaced_by uuid,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT member_cards_number_key UNIQUE (tenant_id, number),
    CONSTRAINT member_cards_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id)
);
CREATE INDEX member_cards_member_idx ON member_cards (tenant_id, member_id);
CREATE UNIQUE INDEX member_cards_one_live ON member_cards (tenant_id, member_id) WHERE status IN ('active', 'frozen', 'lost');
SELECT enable_tenant_rls('member_cards');

-- QR tokens already scanned (a token is good once, until it expires).
CREATE TABLE member_qr_uses (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    nonce      text NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, nonce)
);
SELECT enable_tenant_rls('member_qr_uses');

-- The chain's points rule (one row): points per yuan spent, categories that
-- earn nothing, lot expiry, and the cash value of points at checkout.
CREATE TABLE points_rules (
    tenant_id             uuid NOT NULL REFERENCES tenants (id),
    id                    uuid NOT NULL,
    points_per_yuan       integer NOT NULL DEFAULT 1 CHECK (points_per_yuan BETWEEN 0 AND 1000),
    excluded_category_ids uuid[] NOT NULL DEFAULT '{}',
    expiry                text NOT NULL DEFAULT 'end_of_next_year' CHECK (expiry IN ('end_of_next_year', 'days', 'never')),
    expiry_days           integer NOT NULL DEFAULT 365 CHECK (expiry_days BETWEEN 1 AND 3660),
    points_per_yuan_off   integer NOT NULL DEFAULT 100 CHECK (points_per_yuan_off BETWEEN 1 AND 100000),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT points_rules_one_key UNIQUE (tenant_id)
);
SELECT enable_tenant_rls('points_rules');

-- Points ledger: every earn and burn, signed, with the store. tier_points
-- and spend count toward tiers (earns and their reversals only).
CREATE TABLE points_ledger (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    member_id     uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('earn', 'redeem', 'expire', 'adjust', 'reverse', 'birthday', 'merge')),
    points        bigint NOT NULL,
    balance_after bigint NOT NULL,
    tier_points   bigint NOT NULL DEFAULT 0,
    spend         bigint NOT NULL DEFAULT 0,
    value         bigint NOT NULL DEFAULT 0,
    store_id      uuid,
    source_type   text NOT NULL CHECK (length(source_type) BETWEEN 1 AND 40),
    source_id     text CHECK (length(source_id) BETWEEN 1 AND 100),
    reverses_id   uuid,
    note          text NOT NULL DEFAULT '',
    actor_id      uuid,
    at            timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT points_ledger_source_key UNIQUE (tenant_id, kind, source_type, source_id),
    CONSTRAINT points_ledger_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id),
    CONSTRAINT points_ledger_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT points_ledger_reverses_fkey FOREIGN KEY (tenant_id, reverses_id) REFERENCES points_ledger (tenant_id, id)
);
CREATE INDEX points_ledger_member_idx ON points_ledger (tenant_id, member_id, at);
SELECT enable_tenant_rls('points_ledger');
CREATE TRIGGER points_ledger_append_only BEFORE UPDATE OR DELETE ON points_ledger FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- Lots: what an earn credited and what is left, consumed oldest-expiry
-- first; the earning store stays on the lot for clearing.
CREATE TABLE points_lots (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    member_id  uuid NOT NULL,
    ledger_id  uuid NOT NULL,
    points     bigint NOT NULL CHECK (points > 0),
    remaining  bigint NOT NULL CHECK (remaining BETWEEN 0 AND points),
    store_id   uuid,
    earned_at  timestamptz NOT NULL,
    expires_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT points_lots_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id),
    CONSTRAINT points_lots_ledger_fkey FOREIGN KEY (tenant_id, ledger_id) REFERENCES points_ledger (tenant_id, id),
    CONSTRAINT points_lots_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id)
);
CREATE INDEX points_lots_open_idx ON points_lots (tenant_id, member_id, expires_at) WHERE remaining > 0;
CREATE INDEX points_lots_member_idx ON points_lots (tenant_id, member_id);
CREATE INDEX points_lots_ledger_idx ON points_lots (tenant_id, ledger_id);
CREATE INDEX points_lots_expiry_idx ON points_lots (tenant_id, expires_at) WHERE remaining > 0;
SELECT enable_tenant_rls('points_lots');

-- Which lots each burn took points from (append-only): earning store of
-- the lot against spending store of the entry is the clearing record.
CREATE TABLE points_lot_moves (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    ledger_id uuid NOT NULL,
    lot_id    uuid NOT NULL,
    points    bigint NOT NULL,
    PRIMARY KEY (tenant_id, ledger_id, lot_id),
    CONSTRAINT points_lot_moves_ledger_fkey FOREIGN KEY (tenant_id, ledger_id) REFERENCES points_ledger (tenant_id, id),
    CONSTRAINT points_lot_moves_lot_fkey FOREIGN KEY (tenant_id, lot_id) REFERENCES points_lots (tenant_id, id)
);
SELECT enable_tenant_rls('points_lot_moves');
CREATE TRIGGER points_lot_moves_append_only BEFORE UPDATE OR DELETE ON points_lot_moves FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- Gift catalog (积分兑换) and redemptions.
CREATE TABLE member_gifts (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    points_cost bigint NOT NULL CHECK (points_cost > 0),
    stock       integer CHECK (stock >= 0),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT enable_tenant_rls('member_gifts');

-- Top-up bonus rules (充100送10): the largest min_amount not above the
-- top-up applies, once per top-up.
CREATE TABLE topup_rules (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    min_amount bigint NOT NULL CHECK (min_amount > 0),
    bonus      bigint NOT NULL CHECK (bonus >= 0),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT enable_tenant_rls('topup_rules');

-- Stored-value ledger (储值): signed principal and bonus movements with the
-- store, so value loaded in one entity's store and spent in another's can
-- be settled.
CREATE TABLE stored_value_ledger (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    id                uuid NOT NULL,
    member_id         uuid NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('topup', 'pay', 'refund', 'cash_out', 'merge')),
    principal         bigint NOT NULL,
    bonus             bigint NOT NULL,
    principal_after   bigint NOT NULL,
    bonus_after       bigint NOT NULL,
    store_id          uuid,
    source_type       text NOT NULL CHECK (length(source_type) BETWEEN 1 AND 40),
    source_id         text CHECK (length(source_id) BETWEEN 1 AND 100),
    refunds_id        uuid,
    rule_id           uuid,
    actor_id          uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT stored_value_ledger_source_key UNIQUE (tenant_id, kind, source_type, source_id),
    CONSTRAINT stored_value_ledger_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id),
    CONSTRAINT stored_value_ledger_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT stored_value_ledger_refunds_fkey FOREIGN KEY (tenant_id, refunds_id) REFERENCES stored_value_ledger (tenant_id, id)
);
CREATE INDEX stored_value_ledger_member_idx ON stored_value_ledger (tenant_id, member_id, created_at);
CREATE INDEX stored_value_ledger_refunds_idx ON stored_value_ledger (tenant_id, refunds_id) WHERE refunds_id IS NOT NULL;
SELECT enable_tenant_rls('stored_value_ledger');
CREATE TRIGGER stored_value_ledger_append_only BEFORE UPDATE OR DELETE ON stored_value_ledger FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- Coupons issued to members (birthday gifts now; promotions honours them).
CREATE TABLE member_coupons (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    member_id   uuid NOT NULL,
    code        text NOT NULL,
    source      text NOT NULL,
    status      text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'used', 'expired')),
    valid_until timestamptz NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT member_coupons_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id)
);
CREATE INDEX member_coupons_member_idx ON member_coupons (tenant_id, member_id);
SELECT enable_tenant_rls('member_coupons');

-- Birthday gifts given: once per member and year.
CREATE TABLE member_birthday_gifts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    member_id uuid NOT NULL,
    year      integer NOT NULL,
    issued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, member_id, year),
    CONSTRAINT member_birthday_gifts_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id)
);
SELECT enable_tenant_rls('member_birthday_gifts');

-- +goose Down
DROP TABLE member_birthday_gifts;
DROP TABLE member_coupons;
DROP TABLE stored_value_ledger;
DROP TABLE topup_rules;
DROP TABLE member_gifts;
DROP TABLE points_lot_moves;
DROP TABLE points_lots;
DROP TABLE points_ledger;
DROP TABLE points_rules;
DROP TABLE member_qr_uses;
DROP TABLE member_cards;
DROP TABLE member_accounts;
DROP TABLE members;
DROP TABLE member_tiers;
DROP FUNCTION refuse_ledger_change();
