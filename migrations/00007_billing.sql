-- SaaS subscription billing (issue 6): plans as data, each chain's
-- subscription state (the source of truth for access), the platform-level
-- directory that maps Stripe customers to chains for webhooks and gives the
-- platform operator a cross-tenant summary, processed webhook events, and
-- the onboarding checklist.

-- +goose Up

-- Platform table: the SaaS's own price list. Amounts are minor units per
-- active store per month; limits NULL mean unlimited.
CREATE TABLE billing_plans (
    code            text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    stripe_price_id text NOT NULL UNIQUE CHECK (stripe_price_id <> ''),
    currency        text NOT NULL DEFAULT 'CNY' CHECK (currency ~ '^[A-Z]{3}$'),
    unit_amount     bigint NOT NULL CHECK (unit_amount >= 0),
    max_stores      integer CHECK (max_stores > 0),
    max_members     integer CHECK (max_members > 0),
    max_staff       integer CHECK (max_staff > 0),
    modules         text[] NOT NULL DEFAULT '{}'
        CHECK (modules <@ ARRAY['crm_campaigns', 'franchise_settlement', 'vendor_portal', 'analytics_exports']),
    sort            integer NOT NULL DEFAULT 0,
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);

INSERT INTO billing_plans (code, name, stripe_price_id, unit_amount, max_stores, max_members, max_staff, modules, sort) VALUES
    ('starter', 'Starter', 'price_chainstore_starter_store_monthly', 29900, 3, 5000, 15, '{}', 10),
    ('growth', 'Growth', 'price_chainstore_growth_store_monthly', 49900, 25, 100000, 200,
        '{crm_campaigns,franchise_settlement,analytics_exports}', 20),
    ('enterprise', 'Enterprise', 'price_chainstore_enterprise_store_monthly', 89900, NULL, NULL, NULL,
        '{crm_campaigns,franchise_settlement,vendor_portal,analytics_exports}', 30);

-- One subscription account per chain: the state that drives access. status
-- follows Stripe's subscription (mapped into five values); trial_ends_at is
-- ChainStore's own signup trial; past_due_since starts the grace period.
CREATE TABLE billing_accounts (
    tenant_id              uuid NOT NULL REFERENCES tenants (id),
    id                     uuid NOT NULL,
    -- a billing_plans code; not a foreign key, because a tenant table's
    -- foreign keys all carry tenant_id (the service checks the code).
    plan                   text NOT NULL CHECK (plan ~ '^[a-z][a-z0-9_]{1,31}$'),
    status                 text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'incomplete')),
    comped                 boolean NOT NULL DEFAULT false,
    stripe_customer_id     text,
    stripe_subscription_id text,
    stripe_item_id         text,
    trial_ends_at          timestamptz NOT NULL,
    current_period_end     timestamptz,
    past_due_since         timestamptz,
    canceled_at            timestamptz,
    quantity_synced        integer NOT NULL DEFAULT 0 CHECK (quantity_synced >= 0),
    last_event_created     timestamptz,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT billing_accounts_tenant_key UNIQUE (tenant_id),
    CONSTRAINT billing_accounts_past_due CHECK ((status = 'past_due') = (past_due_since IS NOT NULL))
);
SELECT enable_tenant_rls('billing_accounts');

-- Platform table: the operator's and the webhooks' view of every chain's
-- subscription, written in the same transaction as billing_accounts (one
-- function does both). Webhooks arrive without a tenant and RLS forbids
-- reading a tenant table without one, so the Stripe customer → tenant map
-- lives here; the operator lists chains without reaching into tenant rows.
-- It holds no tenant business data: ids, plan, status, dates, MRR.
CREATE TABLE billing_customers (
    tenant_id          uuid PRIMARY KEY REFERENCES tenants (id),
    stripe_customer_id text UNIQUE,
    plan               text NOT NULL REFERENCES billing_plans (code),
    status             text NOT NULL,
    comped             boolean NOT NULL DEFAULT false,
    trial_ends_at      timestamptz NOT NULL,
    current_period_end timestamptz,
    past_due_since     timestamptz,
    quantity           integer NOT NULL DEFAULT 0,
    mrr                bigint NOT NULL DEFAULT 0 CHECK (mrr >= 0),
    currency           text NOT NULL DEFAULT 'CNY',
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_customers_past_due_idx ON billing_customers (past_due_since) WHERE past_due_since IS NOT NULL;

-- Platform table: Stripe event ids already processed, so a retried or
-- replayed delivery changes nothing. Inserted in the same transaction as
-- the change the event made.
CREATE TABLE billing_events (
    event_id     text PRIMARY KEY,
    type         text NOT NULL,
    tenant_id    uuid REFERENCES tenants (id),
    outcome      text NOT NULL CHECK (outcome IN ('applied', 'ignored')),
    created      timestamptz NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- Platform table: users who may call /api/v1/platform. An operator is a
-- user of the operator chain (chainstore platform-admin create); being
-- listed here, not a tenant role, is what grants the platform API, so no
-- tenant admin can grant it.
CREATE TABLE platform_operators (
    user_id    uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The onboarding checklist's explicit marks (steps the data cannot show).
CREATE TABLE onboarding_steps (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    step       text NOT NULL CHECK (step IN ('chain_profile', 'first_store', 'import_products', 'import_members', 'invite_staff', 'choose_plan')),
    done_at    timestamptz NOT NULL DEFAULT now(),
    done_by    uuid,
    PRIMARY KEY (tenant_id, step)
);
SELECT enable_tenant_rls('onboarding_steps');

-- +goose Down
DROP TABLE onboarding_steps;
DROP TABLE platform_operators;
DROP TABLE billing_events;
DROP TABLE billing_customers;
DROP TABLE billing_accounts;
DROP TABLE billing_plans;
