-- Idempotency keys (Stripe's semantics): the first response to a key is
-- stored in the same transaction as the work it describes, so a retry
-- either replays exactly that response or, if the first attempt rolled
-- back, runs again. Keys are scoped to the user who sent them.

-- +goose Up
CREATE TABLE idempotency_keys (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    user_id      uuid NOT NULL,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash bytea NOT NULL,
    status       integer,
    response     bytea,
    content_type text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, key),
    CONSTRAINT idempotency_keys_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (tenant_id, created_at);
SELECT enable_tenant_rls('idempotency_keys');

-- +goose Down
DROP TABLE idempotency_keys;
