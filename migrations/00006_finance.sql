-- Finance (issue 5): legal entities (HQ and one per franchisee) inside a
-- tenant, a chart of accounts after the Chinese small-enterprise standard,
-- monthly periods per entity, immutable double-entry journal entries that
-- the database itself refuses to leave unbalanced, and daily and monthly
-- roll-ups maintained as entries post, so statements never read lines.

-- +goose Up
CREATE TABLE fin_entities (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('hq', 'franchisee')),
    franchisee_id uuid, -- NULL for HQ
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK ((kind = 'hq') = (franchisee_id IS NULL)),
    CONSTRAINT fin_entities_franchisee_key UNIQUE NULLS NOT DISTINCT (tenant_id, franchisee_id),
    CONSTRAINT fin_entities_franchisee_fkey FOREIGN KEY (tenant_id, franchisee_id) REFERENCES franchisees (tenant_id, id)
);
SELECT enable_tenant_rls('fin_entities');

-- One chart per chain, shared by its entities. is_internal marks the
-- inter-entity accounts (1221 due-from, 2241 due-to).
CREATE TABLE fin_accounts (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    code        text NOT NULL CHECK (code ~ '^[0-9]{4}(\.[0-9]{2}){0,3}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_en     text NOT NULL DEFAULT '' CHECK (length(name_en) <= 100),
    type        text NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    normal_side text NOT NULL CHECK (normal_side IN ('debit', 'credit')),
    parent_id   uuid,
    is_cash     boolean NOT NULL DEFAULT false,
    is_internal boolean NOT NULL DEFAULT false,
    system      boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT fin_accounts_code_key UNIQUE (tenant_id, code),
    CONSTRAINT fin_accounts_parent_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES fin_accounts (tenant_id, id)
);
SELECT enable_tenant_rls('fin_accounts');

CREATE TABLE fin_periods (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    entity_id  uuid NOT NULL,
    year       integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    month      integer NOT NULL CHECK (month BETWEEN 1 AND 12),
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'locked')),
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by uuid,
    PRIMARY KEY (tenant_id, entity_id, year, month),
    CONSTRAINT fin_periods_entity_fkey FOREIGN KEY (tenant_id, entity_id) REFERENCES fin_entities (tenant_id, id)
);
SELECT enable_tenant_rls('fin_periods');

-- Journal entries. accounting_date is the business date, or the first day
-- of the next open period when the business date's period was locked.
CREATE TABLE fin_entries (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    id                uuid NOT NULL,
    entity_id         uuid NOT NULL,
    business_date     date NOT NULL,
    accounting_date   date NOT NULL,
    period_year       integer NOT NULL,
    period_month      integer NOT NULL,
    posted_at         timestamptz NOT NULL DEFAULT now(),
    source_type       text NOT NULL CHECK (source_type ~ '^[a-z_]{1,40}$'),
    source_id         uuid NOT NULL,
    rule              text NOT NULL CHECK (length(rule) BETWEEN 1 AND 60),
    memo              text NOT NULL DEFAULT '' CHECK (length(memo) <= 500),
    reverses_entry_id uuid,
    created_by        uuid,
    approved_by       uuid,
    PRIMARY KEY (tenant_id, id),
    CHECK (period_year = extract(year FROM accounting_date)::int AND period_month = extract(month FROM accounting_date)::int),
    CHECK (accounting_date >= business_date),
    CONSTRAINT fin_entries_line_key UNIQUE (tenant_id, id, entity_id, accounting_date),
    CONSTRAINT fin_entries_source_key UNIQUE (tenant_id, entity_id, source_type, source_id, rule),
    CONSTRAINT fin_entries_reverses_key UNIQUE (tenant_id, reverses_entry_id),
    CONSTRAINT fin_entries_entity_fkey FOREIGN KEY (tenant_id, entity_id) REFERENCES fin_entities (tenant_id, id),
    CONSTRAINT fin_entries_period_fkey FOREIGN KEY (tenant_id, entity_id, period_year, period_month) REFERENCES fin_periods (tenant_id, entity_id, year, month),
    CONSTRAINT fin_entries_reverses_fkey FOREIGN KEY (tenant_id, reverses_entry_id) REFERENCES fin_entries (tenant_id, id)
);
CREATE INDEX fin_entries_date_idx ON fin_entries (tenant_id, entity_id, accounting_date, id);
CREATE INDEX fin_entries_source_idx ON fin_entries (tenant_id, source_type, source_id);
SELECT enable_tenant_rls('fin_entries');

-- Lines. kind: 0 ordinary, 1 internal (inter-entity; consolidation drops
-- it), 2 year-end closing (the income statement skips it).
CREATE TABLE fin_lines (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    entry_id          uuid NOT NULL,
    line_no           integer NOT NULL CHECK (line_no BETWEEN 1 AND 10000),
    entity_id         uuid NOT NULL,
    accounting_date   date NOT NULL,
    account_id        uuid NOT NULL,
    store_id          uuid,
    debit             bigint NOT NULL DEFAULT 0 CHECK (debit >= 0),
    credit            bigint NOT NULL DEFAULT 0 CHECK (credit >= 0),
    kind              smallint NOT NULL DEFAULT 0 CHECK (kind IN (0, 1, 2)),
    counter_entity_id uuid,
    cash_flow         text NOT NULL DEFAULT '' CHECK (length(cash_flow) <= 40),
    memo              text NOT NULL DEFAULT '' CHECK (length(memo) <= 200),
    PRIMARY KEY (tenant_id, entry_id, line_no),
    CHECK ((debit = 0) <> (credit = 0)),
    CHECK ((kind = 1) = (counter_entity_id IS NOT NULL)),
    CONSTRAINT fin_lines_entry_fkey FOREIGN KEY (tenant_id, entry_id, entity_id, accounting_date)
        REFERENCES fin_entries (tenant_id, id, entity_id, accounting_date),
    CONSTRAINT fin_lines_account_fkey FOREIGN KEY (tenant_id, account_id) REFERENCES fin_accounts (tenant_id, id),
    CONSTRAINT fin_lines_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT fin_lines_counter_fkey FOREIGN KEY (tenant_id, counter_entity_id) REFERENCES fin_entities (tenant_id, id)
);
SELECT enable_tenant_rls('fin_lines');

-- The database's own guarantees: an entry balances and has at least two
-- lines when its transaction commits; posted entries and lines never change.
-- +goose StatementBegin
CREATE FUNCTION fin_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    eid uuid;
    d bigint; c bigint; n integer;
BEGIN
    IF TG_TABLE_NAME = 'fin_entries' THEN
        eid := NEW.id;
    ELSE
        eid := NEW.entry_id;
    END IF;
    SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) INTO d, c, n
      FROM fin_lines WHERE tenant_id = NEW.tenant_id AND entry_id = eid;
    IF n < 2 OR d <> c THEN
        RAISE EXCEPTION 'journal entry % is unbalanced: debits %, credits %, % lines', eid, d, c, n
            USING ERRCODE = 'check_violation', CONSTRAINT = 'fin_entry_balanced';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER fin_lines_balanced AFTER INSERT ON fin_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fin_check_entry_balanced();
CREATE CONSTRAINT TRIGGER fin_entries_balanced AFTER INSERT ON fin_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fin_check_entry_balanced();

-- +goose StatementBegin
CREATE FUNCTION fin_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is immutable: post a reversing entry instead', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER fin_entries_immutable BEFORE UPDATE OR DELETE ON fin_entries FOR EACH ROW EXECUTE FUNCTION fin_refuse_change();
CREATE TRIGGER fin_lines_immutable BEFORE UPDATE OR DELETE ON fin_lines FOR EACH ROW EXECUTE FUNCTION fin_refuse_change();

-- No entry into a locked period, whoever inserts it.
-- +goose StatementBegin
CREATE FUNCTION fin_refuse_locked_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM fin_periods WHERE tenant_id = NEW.tenant_id AND entity_id = NEW.entity_id
               AND year = NEW.period_year AND month = NEW.period_month AND status = 'locked') THEN
        RAISE EXCEPTION 'period %-% is locked', NEW.period_year, NEW.period_month
            USING ERRCODE = 'check_violation', CONSTRAINT = 'fin_period_locked';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER fin_entries_period_open BEFORE INSERT ON fin_entries FOR EACH ROW EXECUTE FUNCTION fin_refuse_locked_period();

-- Roll-ups, maintained in the posting transaction. store_id is the nil
-- uuid for lines without a store; they are derived data, so no foreign keys.
CREATE TABLE fin_balances_daily (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    entity_id  uuid NOT NULL,
    store_id   uuid NOT NULL,
    account_id uuid NOT NULL,
    day        date NOT NULL,
    kind       smallint NOT NULL,
    cash_flow  text NOT NULL,
    debit      bigint NOT NULL,
    credit     bigint NOT NULL,
    PRIMARY KEY (tenant_id, entity_id, store_id, account_id, day, kind, cash_flow)
);
CREATE INDEX fin_balances_daily_day_idx ON fin_balances_daily (tenant_id, day);
SELECT enable_tenant_rls('fin_balances_daily');

CREATE TABLE fin_balances_monthly (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    entity_id  uuid NOT NULL,
    store_id   uuid NOT NULL,
    account_id uuid NOT NULL,
    month      date NOT NULL CHECK (extract(day FROM month) = 1),
    kind       smallint NOT NULL,
    cash_flow  text NOT NULL,
    debit      bigint NOT NULL,
    credit     bigint NOT NULL,
    PRIMARY KEY (tenant_id, entity_id, store_id, account_id, month, kind, cash_flow)
);
CREATE INDEX fin_balances_monthly_month_idx ON fin_balances_monthly (tenant_id, month);
SELECT enable_tenant_rls('fin_balances_monthly');

-- Manual journal entries wait here until someone else approves them; then
-- they post as an immutable entry.
CREATE TABLE fin_manual_entries (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    entity_id     uuid NOT NULL,
    business_date date NOT NULL,
    memo          text NOT NULL DEFAULT '',
    lines         jsonb NOT NULL,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_by    uuid NOT NULL,
    decided_by    uuid,
    entry_id      uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    decided_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT fin_manual_entries_entity_fkey FOREIGN KEY (tenant_id, entity_id) REFERENCES fin_entities (tenant_id, id),
    CONSTRAINT fin_manual_entries_entry_fkey FOREIGN KEY (tenant_id, entry_id) REFERENCES fin_entries (tenant_id, id)
);
SELECT enable_tenant_rls('fin_manual_entries');

-- Clearing ratios (basis points) for value moved between entities' books;
-- franchisee_id NULL is the chain default.
CREATE TABLE fin_clearing_rules (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    franchisee_id   uuid,
    principal_bp    integer NOT NULL CHECK (principal_bp BETWEEN 0 AND 10000),
    bonus_bp        integer NOT NULL CHECK (bonus_bp BETWEEN 0 AND 10000),
    points_bp       integer NOT NULL CHECK (points_bp BETWEEN 0 AND 10000),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT fin_clearing_rules_key UNIQUE NULLS NOT DISTINCT (tenant_id, franchisee_id),
    CONSTRAINT fin_clearing_rules_franchisee_fkey FOREIGN KEY (tenant_id, franchisee_id) REFERENCES franchisees (tenant_id, id)
);
SELECT enable_tenant_rls('fin_clearing_rules');

-- Royalty: rate_bp of a franchise store's monthly net sales, at least
-- minimum_fee (fen) per store and month.
CREATE TABLE fin_royalty_rules (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    franchisee_id uuid,
    rate_bp       integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    minimum_fee   bigint NOT NULL DEFAULT 0 CHECK (minimum_fee >= 0),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT fin_royalty_rules_key UNIQUE NULLS NOT DISTINCT (tenant_id, franchisee_id),
    CONSTRAINT fin_royalty_rules_franchisee_fkey FOREIGN KEY (tenant_id, franchisee_id) REFERENCES franchisees (tenant_id, id)
);
SELECT enable_tenant_rls('fin_royalty_rules');

CREATE TABLE fin_settlements (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    franchisee_id uuid NOT NULL,
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    month         integer NOT NULL CHECK (month BETWEEN 1 AND 12),
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted')),
    net_sales     bigint NOT NULL,
    royalty       bigint NOT NULL,
    supplies      bigint NOT NULL,
    payments      bigint NOT NULL,
    balance_due   bigint NOT NULL,
    stores        jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    posted_at     timestamptz,
    posted_by     uuid,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT fin_settlements_month_key UNIQUE (tenant_id, franchisee_id, year, month),
    CONSTRAINT fin_settlements_franchisee_fkey FOREIGN KEY (tenant_id, franchisee_id) REFERENCES franchisees (tenant_id, id)
);
SELECT enable_tenant_rls('fin_settlements');

-- +goose Down
DROP TABLE fin_settlements;
DROP TABLE fin_royalty_rules;
DROP TABLE fin_clearing_rules;
DROP TABLE fin_manual_entries;
DROP TABLE fin_balances_monthly;
DROP TABLE fin_balances_daily;
DROP TABLE fin_lines;
DROP TABLE fin_entries;
DROP FUNCTION fin_refuse_locked_period();
DROP FUNCTION fin_refuse_change();
DROP FUNCTION fin_check_entry_balanced();
DROP TABLE fin_periods;
DROP TABLE fin_accounts;
DROP TABLE fin_entities;
