-- The platform spine: tenants, stores, franchisees, users, roles, sessions
-- and the audit log. Every tenant-owned table has tenant_id in its primary
-- key, in every unique constraint and foreign key, and FORCED row-level
-- security keyed on the transaction-local setting app.tenant_id.

-- +goose Up

-- enable_tenant_rls applies the one tenant policy of DESIGN.md to a table.
-- NULLIF matters: on a pooled connection an earlier SET LOCAL leaves the
-- setting as '' rather than unset, and ''::uuid would raise.
-- +goose StatementBegin
CREATE FUNCTION enable_tenant_rls(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %s
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, tbl);
END
$$;
-- +goose StatementEnd

-- Platform table: one row per chain. Readable by the app role without a
-- tenant transaction (login resolves a slug here).
CREATE TABLE tenants (
    id             uuid PRIMARY KEY,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug           text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'),
    kind           text NOT NULL DEFAULT 'supermarket' CHECK (kind IN ('supermarket', 'convenience', 'mixed')),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    currency       text NOT NULL DEFAULT 'CNY' CHECK (currency ~ '^[A-Z]{3}$'),
    time_zone      text NOT NULL DEFAULT 'Asia/Shanghai',
    policy_version bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenants_slug_key UNIQUE (slug)
);

-- Platform table: the e-mail of every self-serve signup, so one address
-- opens one trial chain.
CREATE TABLE signup_emails (
    email      text PRIMARY KEY CHECK (email = lower(email)),
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE franchisees (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    legal_name    text NOT NULL DEFAULT '',
    contact_name  text NOT NULL DEFAULT '',
    contact_phone text NOT NULL DEFAULT '',
    contact_email text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'terminated')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT franchisees_name_key UNIQUE (tenant_id, name)
);
SELECT enable_tenant_rls('franchisees');

CREATE TABLE stores (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    type          text NOT NULL CHECK (type IN ('direct', 'franchise')),
    franchisee_id uuid,
    address       text NOT NULL DEFAULT '',
    phone         text NOT NULL DEFAULT '',
    time_zone     text NOT NULL,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    opened_at     timestamptz,
    closed_at     timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT stores_code_key UNIQUE (tenant_id, code),
    CONSTRAINT stores_franchisee_fkey FOREIGN KEY (tenant_id, franchisee_id) REFERENCES franchisees (tenant_id, id),
    CONSTRAINT stores_franchise_has_franchisee CHECK ((type = 'franchise') = (franchisee_id IS NOT NULL))
);
CREATE INDEX stores_franchisee_idx ON stores (tenant_id, franchisee_id) WHERE franchisee_id IS NOT NULL;
SELECT enable_tenant_rls('stores');

CREATE TABLE users (
    tenant_id            uuid NOT NULL REFERENCES tenants (id),
    id                   uuid NOT NULL,
    name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    email                text CHECK (email = lower(email)),
    phone                text,
    password_hash        text NOT NULL DEFAULT '',
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'disabled')),
    franchisee_id        uuid,
    password_changed_at  timestamptz,
    last_login_at        timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT users_email_key UNIQUE (tenant_id, email),
    CONSTRAINT users_phone_key UNIQUE (tenant_id, phone),
    CONSTRAINT users_franchisee_fkey FOREIGN KEY (tenant_id, franchisee_id) REFERENCES franchisees (tenant_id, id),
    CONSTRAINT users_has_login CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
SELECT enable_tenant_rls('users');

-- Roles of a tenant: the built-in templates (seeded per tenant, permissions
-- from code) and tenant-defined roles made from permissions.
CREATE TABLE roles (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    key         text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text NOT NULL DEFAULT '',
    builtin     boolean NOT NULL DEFAULT false,
    scope       text NOT NULL CHECK (scope IN ('chain', 'store', 'franchise')),
    permissions text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT roles_key_key UNIQUE (tenant_id, key)
);
SELECT enable_tenant_rls('roles');

-- A role given to a user in a scope: the whole chain (both ids null), one
-- store, or every store of one franchisee.
CREATE TABLE user_store_assignments (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    user_id       uuid NOT NULL,
    role_id       uuid NOT NULL,
    store_id      uuid,
    franchisee_id uuid,
    created_by    uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT usa_unique UNIQUE NULLS NOT DISTINCT (tenant_id, user_id, role_id, store_id, franchisee_id),
    CONSTRAINT usa_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT usa_role_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id),
    CONSTRAINT usa_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT usa_franchisee_fkey FOREIGN KEY (tenant_id, franchisee_id) REFERENCES franchisees (tenant_id, id),
    CONSTRAINT usa_one_scope CHECK (store_id IS NULL OR franchisee_id IS NULL)
);
CREATE INDEX usa_store_idx ON user_store_assignments (tenant_id, store_id) WHERE store_id IS NOT NULL;
SELECT enable_tenant_rls('user_store_assignments');

-- A session is one refresh-token family; revoking it kills every refresh
-- token of the family and (through the deny-list) its access tokens.
CREATE TABLE sessions (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    user_id        uuid NOT NULL,
    user_agent     text NOT NULL DEFAULT '',
    ip             text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT sessions_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id) WHERE revoked_at IS NULL;
SELECT enable_tenant_rls('sessions');

CREATE TABLE refresh_tokens (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    session_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT refresh_tokens_hash_key UNIQUE (tenant_id, token_hash),
    CONSTRAINT refresh_tokens_session_fkey FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (tenant_id, session_id);
SELECT enable_tenant_rls('refresh_tokens');

-- One-time tokens for invitations and password resets, stored hashed.
CREATE TABLE user_tokens (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    user_id    uuid NOT NULL,
    purpose    text NOT NULL CHECK (purpose IN ('invite', 'reset')),
    token_hash bytea NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT user_tokens_hash_key UNIQUE (tenant_id, token_hash),
    CONSTRAINT user_tokens_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
SELECT enable_tenant_rls('user_tokens');

-- Append-only record of sensitive actions (role changes, PII reads,
-- refunds, overrides). A trigger refuses updates and deletes for everyone.
CREATE TABLE audit_log (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    uuid,
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   text NOT NULL DEFAULT '',
    store_id    uuid,
    detail      jsonb NOT NULL DEFAULT '{}',
    request_id  text NOT NULL DEFAULT '',
    ip          text NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_object_idx ON audit_log (tenant_id, object_type, object_id);
SELECT enable_tenant_rls('audit_log');

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log, user_tokens, refresh_tokens, sessions, user_store_assignments, roles, users, stores, franchisees, signup_emails, tenants;
DROP FUNCTION audit_log_append_only();
DROP FUNCTION enable_tenant_rls(regclass);
