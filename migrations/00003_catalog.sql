-- +goose Up
-- Catalog: categories (a tree), brands, units, products, their SKUs and
-- barcodes. Prices and the change feed are added below the core tables.
-- The core columns here are the contract other modules (inventory, POS)
-- read; add to them, do not rename them.

CREATE TABLE categories (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    parent_id  uuid,
    code       text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,32}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The ids from the root down to this category, itself included, so
    -- "everything under category X" is one indexed array test.
    path       uuid[] NOT NULL,
    sort_order integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT categories_code_key UNIQUE (tenant_id, code),
    CONSTRAINT categories_parent_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES categories (tenant_id, id)
);
CREATE INDEX categories_path_idx ON categories USING gin (path);
SELECT enable_tenant_rls('categories');

CREATE TABLE brands (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT brands_name_key UNIQUE (tenant_id, name)
);
SELECT enable_tenant_rls('brands');

-- Units of sale. kind 'weight' means quantities are grams (thousandths of
-- a kilogram, like every quantity); 'count' means thousandths of a piece.
CREATE TABLE units (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    code       text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,16}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    kind       text NOT NULL CHECK (kind IN ('count', 'weight')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT units_code_key UNIQUE (tenant_id, code)
);
SELECT enable_tenant_rls('units');

CREATE TABLE products (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    code            text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,40}$'),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    category_id     uuid NOT NULL,
    brand_id        uuid,
    unit_id         uuid NOT NULL,
    -- VAT rate in basis points (1300 = 13%).
    tax_rate_bp     integer NOT NULL DEFAULT 1300 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    shelf_life_days integer CHECK (shelf_life_days > 0),
    weighed         boolean NOT NULL DEFAULT false,
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'discontinued')),
    description     text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT products_code_key UNIQUE (tenant_id, code),
    CONSTRAINT products_category_fkey FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id),
    CONSTRAINT products_brand_fkey FOREIGN KEY (tenant_id, brand_id) REFERENCES brands (tenant_id, id),
    CONSTRAINT products_unit_fkey FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id)
);
CREATE INDEX products_category_idx ON products (tenant_id, category_id);
SELECT enable_tenant_rls('products');

-- A SKU is the thing sold and stocked: a product in one specification
-- (size, flavour ...). Inventory, prices and sales key on SKU ids.
CREATE TABLE skus (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    product_id uuid NOT NULL,
    code       text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,40}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    specs      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(specs) = 'object'),
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'discontinued')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT skus_code_key UNIQUE (tenant_id, code),
    CONSTRAINT skus_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX skus_product_idx ON skus (tenant_id, product_id);
SELECT enable_tenant_rls('skus');

-- Barcodes: EAN-13/EAN-8/UPC-A (check digit validated by the service) or an
-- in-store code. A barcode names one SKU within a tenant.
CREATE TABLE sku_barcodes (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    barcode    text NOT NULL CHECK (barcode ~ '^[0-9A-Za-z]{1,32}$'),
    sku_id     uuid NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('ean13', 'ean8', 'upca', 'instore')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, barcode),
    CONSTRAINT sku_barcodes_sku_fkey FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sku_barcodes_sku_idx ON sku_barcodes (tenant_id, sku_id);
SELECT enable_tenant_rls('sku_barcodes');

-- ── catalog additions (modules/catalog) ──

-- Name search at the till uses trigram indexes that lead with tenant_id
-- (pg_trgm and btree_gin are trusted extensions: a database owner may
-- create them).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The delta feed's cursor. Every write that changes what a till must know
-- about a SKU (the SKU, its product, barcodes, prices) stamps the SKU with
-- the next value. Writers of one tenant serialise on a transaction-level
-- advisory lock before taking a value, so a tenant's values commit in order
-- and a till that has seen N never misses a later commit below N.
CREATE SEQUENCE catalog_change_seq;

ALTER TABLE skus
    -- PLU of a weighed SKU: the digits a scale prints in its in-store barcode.
    ADD COLUMN plu text CHECK (plu ~ '^[0-9]{1,6}$'),
    ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('catalog_change_seq'),
    ADD CONSTRAINT skus_plu_key UNIQUE (tenant_id, plu);
CREATE INDEX skus_change_seq_idx ON skus (tenant_id, change_seq);
CREATE INDEX skus_name_trgm_idx ON skus USING gin (tenant_id, name gin_trgm_ops);
CREATE INDEX products_name_trgm_idx ON products USING gin (tenant_id, name gin_trgm_ops);
CREATE INDEX products_brand_idx ON products (tenant_id, brand_id) WHERE brand_id IS NOT NULL;

-- Prices are append-only versions. store_id NULL is HQ's price; a store row
-- overrides it in that store from effective_from on (amount NULL ends the
-- override: the store falls back to HQ's price). The price in force at T is
-- the latest version with effective_from <= T.
CREATE TABLE price_versions (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    sku_id         uuid NOT NULL,
    store_id       uuid,
    kind           text NOT NULL CHECK (kind IN ('list', 'member', 'cost')),
    amount         bigint CHECK (amount >= 0 AND amount <= 100000000000),
    effective_from timestamptz NOT NULL,
    created_by     uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT price_versions_sku_fkey FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
    CONSTRAINT price_versions_store_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, id),
    CONSTRAINT price_versions_hq_has_amount CHECK (store_id IS NOT NULL OR amount IS NOT NULL)
);
CREATE INDEX price_versions_lookup_idx ON price_versions (tenant_id, sku_id, kind, store_id, effective_from DESC, id DESC) INCLUDE (amount);
SELECT enable_tenant_rls('price_versions');

-- HQ's bounds for franchise stores' own list and member prices of a SKU.
-- Without a row, only HQ sets store prices.
CREATE TABLE price_bounds (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    sku_id     uuid NOT NULL,
    min_amount bigint NOT NULL CHECK (min_amount >= 0),
    max_amount bigint NOT NULL,
    updated_by uuid,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, sku_id),
    CONSTRAINT price_bounds_sku_fkey FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
    CONSTRAINT price_bounds_order CHECK (max_amount >= min_amount)
);
SELECT enable_tenant_rls('price_bounds');

-- How the chain's scales print weighed-goods barcodes: digits starting with
-- prefix, then the PLU, then the value (weight in grams, price in fen, or
-- price then weight), then an EAN check digit. No row: the default layout
-- (prefix 2, PLU 6 digits, weight 5 digits: EAN-13).
CREATE TABLE scale_barcode_layouts (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    prefix       text NOT NULL CHECK (prefix ~ '^[0-9]{1,3}$'),
    plu_length   integer NOT NULL CHECK (plu_length BETWEEN 4 AND 6),
    value_kind   text NOT NULL CHECK (value_kind IN ('weight', 'price', 'price_weight')),
    value_length integer NOT NULL CHECK (value_length BETWEEN 4 AND 6),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, prefix)
);
SELECT enable_tenant_rls('scale_barcode_layouts');

-- Product imports: the uploaded file, its dry-run report and progress.
CREATE TABLE catalog_imports (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    filename       text NOT NULL DEFAULT '',
    format         text NOT NULL CHECK (format IN ('csv', 'xlsx')),
    status         text NOT NULL CHECK (status IN ('validated', 'committing', 'committed', 'failed')),
    data           bytea NOT NULL,
    total_rows     integer NOT NULL DEFAULT 0,
    valid_rows     integer NOT NULL DEFAULT 0,
    error_rows     integer NOT NULL DEFAULT 0,
    processed_rows integer NOT NULL DEFAULT 0,
    written_rows   integer NOT NULL DEFAULT 0,
    errors         jsonb NOT NULL DEFAULT '[]',
    accepted_errors boolean NOT NULL DEFAULT false,
    failure        text NOT NULL DEFAULT '',
    created_by     uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    committed_at   timestamptz,
    PRIMARY KEY (tenant_id, id)
);
SELECT enable_tenant_rls('catalog_imports');

-- +goose Down
DROP TABLE catalog_imports;
DROP TABLE scale_barcode_layouts;
DROP TABLE price_bounds;
DROP TABLE price_versions;
DROP TABLE sku_barcodes;
DROP TABLE skus;
DROP SEQUENCE catalog_change_seq;
DROP TABLE products;
DROP TABLE units;
DROP TABLE brands;
DROP TABLE categories;
