import type { CatalogItem, LookupResult, PosCartInput, PosLineInput, PosMemberRef, PosPricedCart, PosPricedLine } from '../../api/types';

// The cart as the till keeps it between prices: what was scanned, in
// order, each line naming its SKU (or a scale label's barcode, which
// carries its weight or price) with a quantity in thousandths. The server
// prices it after every change (POST /carts/price); offline, localPrice
// prices it from the look-ups the till has seen, at their list prices.

export interface CartLine {
  key: string;
  item: CatalogItem;
  /** The scale label (weighed goods): sent as the line's barcode, its quantity taken from it. */
  label?: LookupResult['scan'];
  qty: number;
}

export interface Cart {
  lines: CartLine[];
  member: PosMemberRef | null;
  coupons: string[];
  pointsToUse: number;
}

export const emptyCart = (): Cart => ({ lines: [], member: null, coupons: [], pointsToUse: 0 });

let seq = 0;
const nextKey = () => `l${(seq += 1)}`;

const isLabel = (found: LookupResult) => Boolean(found.scan?.weighed);

/**
 * addScanned: a look-up's item into the cart. A counted item already in
 * the cart counts one more; a weighed item from a scale label is a line of
 * its own with the label's weight.
 */
export function addScanned(cart: Cart, found: LookupResult): Cart {
  const item = found.data[0];
  if (!item) return cart;
  if (isLabel(found)) {
    return { ...cart, lines: [...cart.lines, { key: nextKey(), item, label: found.scan, qty: found.scan?.quantity ?? 0 }] };
  }
  const same = cart.lines.findIndex((l) => !l.label && l.item.sku_id === item.sku_id);
  if (same >= 0) {
    return { ...cart, lines: cart.lines.map((l, i) => (i === same ? { ...l, qty: l.qty + 1000 } : l)) };
  }
  return { ...cart, lines: [...cart.lines, { key: nextKey(), item, qty: 1000 }] };
}

export function setQty(cart: Cart, key: string, qty: number): Cart {
  return { ...cart, lines: cart.lines.map((l) => (l.key === key ? { ...l, qty } : l)) };
}

export function removeLine(cart: Cart, key: string): Cart {
  return { ...cart, lines: cart.lines.filter((l) => l.key !== key) };
}

export function lineInput(line: CartLine): PosLineInput {
  if (line.label) return { barcode: line.label.barcode, qty: 0 };
  return { sku_id: line.item.sku_id, qty: line.qty };
}

export function cartInput(cart: Cart): PosCartInput {
  return {
    lines: cart.lines.map(lineInput),
    ...(cart.member ? { member: cart.member } : {}),
    ...(cart.coupons.length ? { coupons: cart.coupons } : {}),
    ...(cart.pointsToUse > 0 ? { points_to_use: cart.pointsToUse } : {}),
  };
}

/** lineAmount: qty (thousandths) × unit price (fen), rounded half up to the fen, in BigInt. */
export function lineAmount(qty: number, unitPrice: number): bigint {
  const milli = BigInt(qty) * BigInt(unitPrice);
  return (milli + 500n) / 1000n;
}

/**
 * localPrice: the cart priced from what the till knows, for selling
 * offline — each line at its list price in force when it was looked up (a
 * price label at its printed amount), no promotions, member or coupons.
 * The server prices the upload again at its time and flags a difference.
 */
export function localPrice(cart: Cart, storeId: string, now = new Date()): PosPricedCart {
  const lines: PosPricedLine[] = cart.lines.map((l, i) => {
    const unit = l.item.list_price ?? 0;
    const qty = l.label?.quantity ?? l.qty;
    const gross = l.label?.amount != null && l.label.amount > 0 ? BigInt(l.label.amount) : lineAmount(qty, unit);
    return {
      line_no: i + 1,
      sku_id: l.item.sku_id,
      code: l.item.code,
      name: l.item.name,
      barcode: l.label?.barcode ?? l.item.barcodes[0] ?? '',
      unit: l.item.unit,
      weighed: l.item.weighed,
      qty,
      list_price: unit,
      member_price: null,
      unit_price: unit,
      gross: Number(gross),
      discount: 0,
      net: Number(gross),
      vat_rate_bp: l.item.tax_rate_bp,
      allocations: [],
    };
  });
  const total = lines.reduce((s, l) => s + BigInt(l.net), 0n);
  return {
    store_id: storeId,
    priced_at: now.toISOString(),
    lines,
    promotions: null,
    coupons: null,
    member: null,
    gross: Number(total),
    discount: 0,
    rounding: 0,
    total: Number(total),
    points_used: 0,
    points_value: 0,
    payable: Number(total),
    points_to_earn: 0,
  };
}

// ── the look-ups seen, for offline ──

const cacheKey = (storeId: string) => `chainstore.till.catalog.${storeId}`;
const MAX_CACHED = 2000;

type Cached = Record<string, LookupResult>;

function readCache(storeId: string): Cached {
  try {
    return JSON.parse(localStorage.getItem(cacheKey(storeId)) ?? '{}') as Cached;
  } catch {
    return {};
  }
}

/** rememberLookup keeps a look-up's answer under what was scanned (and the item's other codes). */
export function rememberLookup(storeId: string, scanned: string, found: LookupResult): void {
  const cache = readCache(storeId);
  const item = found.data[0];
  if (!item) return;
  cache[scanned] = found;
  if (!found.scan?.weighed) {
    for (const code of [item.code, ...item.barcodes]) cache[code] = { data: [item], scan: null };
  }
  const keys = Object.keys(cache);
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_CACHED))) delete cache[k];
  try {
    localStorage.setItem(cacheKey(storeId), JSON.stringify(cache));
  } catch {
    // Storage full: the till sells on without this look-up cached.
  }
}

/** rememberPrices: a priced cart's list prices are the newest the till has seen. */
export function rememberPrices(storeId: string, priced: PosPricedCart): void {
  const cache = readCache(storeId);
  let changed = false;
  for (const line of priced.lines) {
    for (const entry of Object.values(cache)) {
      const item = entry.data[0];
      if (item && item.sku_id === line.sku_id && item.list_price !== line.list_price) {
        entry.data[0] = { ...item, list_price: line.list_price, member_price: line.member_price };
        changed = true;
      }
    }
  }
  if (changed) localStorage.setItem(cacheKey(storeId), JSON.stringify(cache));
}

export function cachedLookup(storeId: string, scanned: string): LookupResult | null {
  return readCache(storeId)[scanned] ?? null;
}
