-- Stored value in lots (issues 4 and 5): every top-up is a lot that keeps
-- the store where it was loaded (NULL: HQ / online), so value loaded in one
-- legal entity's store and spent, refunded or cashed out in another's is
-- released from the books of the entity that holds it. Payments take lots
-- oldest first; stored_value_lot_moves records which lots each payment,
-- refund and cash-out moved (the refund of a payment returns value to the
-- lots the payment took). member_accounts' balances always equal the sum
-- of the member's open lots.
--
-- Existing balances: each member's current balance becomes one lot
-- attributed to the store of the member's earliest top-up, or to HQ when
-- it is unknown (no top-up, or an HQ/online one). Before this migration the
-- pool was not attributed, so this is the best available attribution; the
-- books already held the whole balance in the entity of each top-up's
-- store, so for members who topped up at stores of more than one entity the
-- per-entity liability may differ from the lots by what moved before — a
-- one-off reconciliation for finance (chain totals are unaffected).

-- +goose Up
CREATE TABLE stored_value_lots (
    tenant_id           uuid NOT NULL REFERENCES tenants (id),
    id                  uuid NOT NULL,
    member_id           uuid NOT NULL,
    -- The top-up entry that loaded it (NULL for the opening lot of a
    -- balance that existed before lots).
    ledger_id           uuid,
    store_id            uuid,
    principal           bigint NOT NULL CHECK (principal >= 0),
    bonus               bigint NOT NULL CHECK (bonus >= 0),
    remaining_principal bigint NOT NULL CHECK (remaining_principal BETWEEN 0 AND principal),
    remaining_bonus     bigint NOT NULL CHECK (remaining_bonus BETWEEN 0 AND bonus),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (principal + bonus > 0),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT stored_value_lots_member_fkey FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id),
    CONSTRAINT stored_value_lots_ledger_fkey FOREIGN KEY (tenant_id, ledger_id) REFERENCES stored_value_ledger (tenant_id, id),
    CONSTRAINT stored_value_lots_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id)
);
CREATE INDEX stored_value_lots_open_idx ON stored_value_lots (tenant_id, member_id, created_at, id)
    WHERE remaining_principal + remaining_bonus > 0;
CREATE INDEX stored_value_lots_member_idx ON stored_value_lots (tenant_id, member_id);
CREATE INDEX stored_value_lots_ledger_idx ON stored_value_lots (tenant_id, ledger_id) WHERE ledger_id IS NOT NULL;
CREATE INDEX stored_value_lots_store_idx ON stored_value_lots (tenant_id, store_id) WHERE store_id IS NOT NULL;

-- Which lots each stored-value entry moved, signed like the entry
-- (payments and cash-outs negative, refunds positive). Append-only.
CREATE TABLE stored_value_lot_moves (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    ledger_id uuid NOT NULL,
    lot_id    uuid NOT NULL,
    principal bigint NOT NULL,
    bonus     bigint NOT NULL,
    PRIMARY KEY (tenant_id, ledger_id, lot_id),
    CONSTRAINT stored_value_lot_moves_ledger_fkey FOREIGN KEY (tenant_id, ledger_id) REFERENCES stored_value_ledger (tenant_id, id),
    CONSTRAINT stored_value_lot_moves_lot_fkey FOREIGN KEY (tenant_id, lot_id) REFERENCES stored_value_lots (tenant_id, id)
);
CREATE INDEX stored_value_lot_moves_lot_idx ON stored_value_lot_moves (tenant_id, lot_id);
CREATE TRIGGER stored_value_lot_moves_append_only BEFORE UPDATE OR DELETE ON stored_value_lot_moves
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- Opening lots. The owner runs migrations but is subject to the forced
-- row-level security of the tables it reads, so lift FORCE for the
-- backfill and put it back (the migration is one transaction).
ALTER TABLE member_accounts NO FORCE ROW LEVEL SECURITY;
ALTER TABLE stored_value_ledger NO FORCE ROW LEVEL SECURITY;
INSERT INTO stored_value_lots (tenant_id, id, member_id, ledger_id, store_id, principal, bonus, remaining_principal, remaining_bonus, created_at)
SELECT a.tenant_id,
       -- a UUIDv7 (PostgreSQL 15 has no uuidv7()): the time in the first 48 bits, version 7
       encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
           PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid,
       a.member_id, NULL,
       (SELECT l.store_id FROM stored_value_ledger l WHERE l.tenant_id = a.tenant_id AND l.member_id = a.member_id AND l.kind = 'topup'
        ORDER BY l.created_at, l.id LIMIT 1),
       a.balance_principal, a.balance_bonus, a.balance_principal, a.balance_bonus, now()
FROM member_accounts a
WHERE a.balance_principal + a.balance_bonus > 0;
ALTER TABLE member_accounts FORCE ROW LEVEL SECURITY;
ALTER TABLE stored_value_ledger FORCE ROW LEVEL SECURITY;

SELECT enable_tenant_rls('stored_value_lots');
SELECT enable_tenant_rls('stored_value_lot_moves');

-- +goose Down
DROP TABLE stored_value_lot_moves;
DROP TABLE stored_value_lots;
