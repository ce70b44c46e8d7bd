-- How far a transfer's receipt may exceed what was shipped, as a percentage
-- of the shipped quantity per line. More than that is refused: the goods
-- are recounted, or HQ raises the tolerance. 10% absorbs the usual miscount
-- of a carton; 1000 accepts up to eleven times what shipped. A line shipped
-- as zero accepts nothing at any setting (the sender recounts and ships).
-- Existing chains get 10% at once, for transfers already in transit too.
-- +goose Up
ALTER TABLE inventory_settings
    ADD COLUMN over_receipt_pct integer NOT NULL DEFAULT 10 CHECK (over_receipt_pct BETWEEN 0 AND 1000);

-- +goose Down
ALTER TABLE inventory_settings DROP COLUMN over_receipt_pct;
