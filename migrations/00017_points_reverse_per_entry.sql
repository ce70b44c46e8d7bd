-- One return reverses two points entries of its sale: the points it
-- earned and the points it was paid with. A reversal is therefore keyed
-- by the entry it reverses as well as by its document, so the same
-- return's document may reverse each entry once (NULLS NOT DISTINCT keeps
-- one earn, redeem … per document as before).

-- +goose Up
ALTER TABLE points_ledger DROP CONSTRAINT points_ledger_source_key;
ALTER TABLE points_ledger ADD CONSTRAINT points_ledger_source_key
    UNIQUE NULLS NOT DISTINCT (tenant_id, kind, source_type, source_id, reverses_id);

-- +goose Down
ALTER TABLE points_ledger DROP CONSTRAINT points_ledger_source_key;
ALTER TABLE points_ledger ADD CONSTRAINT points_ledger_source_key UNIQUE (tenant_id, kind, source_type, source_id);
