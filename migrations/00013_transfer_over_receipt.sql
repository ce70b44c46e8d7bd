-- How far a transfer's receipt may exceed what was shipped, as a percentage
-- of the shipped quantity per line. More than that is refused: the goods
-- are recounted, or HQ raises the tolerance. A line shipped as zero accepts
-- nothing. 10% absorbs the usual miscount of a carton; 1000 (ten times)
-- effectively turns the check off.
-- +goose Up
ALTER TABLE inventory_settings
    ADD COLUMN over_receipt_pct integer NOT NULL DEFAULT 10 CHECK (over_receipt_pct BETWEEN 0 AND 1000);

-- +goose Down
ALTER TABLE inventory_settings DROP COLUMN over_receipt_pct;
