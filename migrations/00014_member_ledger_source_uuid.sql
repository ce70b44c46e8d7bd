-- Member ledgers name their source document by UUID (issue 10): the
-- points and stored-value ledgers' source_id becomes uuid, as the document
-- is now an infra/doc.Source everywhere (the same sale is the same
-- (type, id) in inventory, members and finance). Every writer gives a
-- UUID: the POS API requires one, and the members module's own documents
-- (lot expiries, corrections, merges, gift redemptions, birthday gifts)
-- are UUIDs.
--
-- Existing values that are UUIDs are cast. Any other value (a till's own
-- order number sent before this change, "2026" of a birthday gift) keeps
-- its text in legacy_source_id and gets a stable id derived from it, a
-- UUIDv3 (MD5) in the namespace 4af54e56-39d2-4d36-90e1-6ee8420f3884 of
-- "<source_type>:<source_id>" — Go's uuid.NewMD5(ns, []byte(type+":"+id)) —
-- so the (kind, source_type, source_id) keys stay unique. NULL stays NULL
-- (a person's adjustment).
--
-- The ledgers are append-only and their row-level security is forced,
-- which binds the owner too: the one backfill UPDATE runs with the
-- trigger off and FORCE lifted, both put back in the same transaction.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION members_legacy_source_uuid(typ text, id text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(set_byte(set_byte(h, 6, (get_byte(h, 6) & 15) | 48), 8, (get_byte(h, 8) & 63) | 128), 'hex')::uuid
    FROM (SELECT decode(md5(uuid_send('4af54e56-39d2-4d36-90e1-6ee8420f3884'::uuid) || convert_to(typ || ':' || id, 'UTF8')), 'hex') AS h) x
$$;
-- +goose StatementEnd

ALTER TABLE points_ledger NO FORCE ROW LEVEL SECURITY;
ALTER TABLE points_ledger DISABLE TRIGGER points_ledger_append_only;
ALTER TABLE points_ledger ADD COLUMN legacy_source_id text;
UPDATE points_ledger SET legacy_source_id = source_id
WHERE source_id !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
ALTER TABLE points_ledger DROP CONSTRAINT points_ledger_source_id_check;
ALTER TABLE points_ledger ALTER COLUMN source_id TYPE uuid
    USING CASE WHEN legacy_source_id IS NULL THEN source_id::uuid ELSE members_legacy_source_uuid(source_type, source_id) END;
ALTER TABLE points_ledger ENABLE TRIGGER points_ledger_append_only;
ALTER TABLE points_ledger FORCE ROW LEVEL SECURITY;

ALTER TABLE stored_value_ledger NO FORCE ROW LEVEL SECURITY;
ALTER TABLE stored_value_ledger DISABLE TRIGGER stored_value_ledger_append_only;
ALTER TABLE stored_value_ledger ADD COLUMN legacy_source_id text;
UPDATE stored_value_ledger SET legacy_source_id = source_id
WHERE source_id !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
ALTER TABLE stored_value_ledger DROP CONSTRAINT stored_value_ledger_source_id_check;
ALTER TABLE stored_value_ledger ALTER COLUMN source_id TYPE uuid
    USING CASE WHEN legacy_source_id IS NULL THEN source_id::uuid ELSE members_legacy_source_uuid(source_type, source_id) END;
ALTER TABLE stored_value_ledger ENABLE TRIGGER stored_value_ledger_append_only;
ALTER TABLE stored_value_ledger FORCE ROW LEVEL SECURITY;

DROP FUNCTION members_legacy_source_uuid(text, text);

-- +goose Down
ALTER TABLE points_ledger ALTER COLUMN source_id TYPE text USING coalesce(legacy_source_id, source_id::text);
ALTER TABLE points_ledger ADD CONSTRAINT points_ledger_source_id_check CHECK (length(source_id) BETWEEN 1 AND 100);
ALTER TABLE points_ledger DROP COLUMN legacy_source_id;
ALTER TABLE stored_value_ledger ALTER COLUMN source_id TYPE text USING coalesce(legacy_source_id, source_id::text);
ALTER TABLE stored_value_ledger ADD CONSTRAINT stored_value_ledger_source_id_check CHECK (length(source_id) BETWEEN 1 AND 100);
ALTER TABLE stored_value_ledger DROP COLUMN legacy_source_id;
