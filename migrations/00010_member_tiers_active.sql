-- Members follow-up: tiers can be deactivated (not deleted — members and
-- ledgers point at them). An inactive tier is no longer the entry tier and
-- no member qualifies for it; members on it move at the next re-evaluation.

-- +goose Up
ALTER TABLE member_tiers ADD COLUMN active boolean NOT NULL DEFAULT true;

-- +goose Down
ALTER TABLE member_tiers DROP COLUMN active;
