-- Expiry lots across transfers: which dated lots (and how much undated
-- stock) each transfer line took from the source store when it shipped,
-- so the destination can open lots with the same expiry dates on receipt.
-- +goose Up
CREATE TABLE transfer_line_lots (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    transfer_id uuid NOT NULL,
    sku_id      uuid NOT NULL,
    -- One row per expiry date shipped (lots of the same date are merged).
    expiry_date date NOT NULL,
    qty         bigint NOT NULL CHECK (qty > 0),
    PRIMARY KEY (tenant_id, transfer_id, sku_id, expiry_date),
    CONSTRAINT transfer_line_lots_line_fkey FOREIGN KEY (tenant_id, transfer_id, sku_id)
        REFERENCES transfer_lines (tenant_id, transfer_id, sku_id)
);
SELECT enable_tenant_rls('transfer_line_lots');

-- +goose Down
DROP TABLE transfer_line_lots;
