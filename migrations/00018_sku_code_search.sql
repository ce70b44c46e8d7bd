-- HQ's SKU search (GET /catalog/skus?q=) matches a SKU code by prefix,
-- case-insensitively: lower(code) LIKE 'abc%' can use a btree only with
-- text_pattern_ops, whatever the database's collation. Names are matched
-- through the trigram indexes of 00003, barcodes through their key.

-- +goose Up
CREATE INDEX skus_code_lower_idx ON skus (tenant_id, lower(code) text_pattern_ops);

-- +goose Down
DROP INDEX skus_code_lower_idx;
