import type { StocktakeLine } from '../../api/types';

// Count entry of a stocktake: each scan or typed line adds to a pending
// batch (the same SKU twice adds up, as on the shelf), which is sent as one
// batch with its own id, so a resend after a network error counts once.

export interface PendingCount {
  sku_id: string;
  sku_code: string;
  sku_name: string;
  /** thousandths */
  qty: bigint;
}

/** addCount: the pending batch with qty more of the line's SKU (its row keeps its place). */
export function addCount(pending: PendingCount[], line: Pick<StocktakeLine, 'sku_id' | 'sku_code' | 'sku_name'>, qty: bigint): PendingCount[] {
  if (qty < 0n) throw new RangeError('count: negative');
  const found = pending.find((p) => p.sku_id === line.sku_id);
  if (found) return pending.map((p) => (p.sku_id === line.sku_id ? { ...p, qty: p.qty + qty } : p));
  return [...pending, { sku_id: line.sku_id, sku_code: line.sku_code, sku_name: line.sku_name, qty }];
}

/** matchLine: the stocktake's line for a typed SKU code (any case), or for a SKU id a barcode look-up found. */
export function matchLine(lines: StocktakeLine[], text: string, skuIds: string[] = []): StocktakeLine | undefined {
  const code = text.trim().toLowerCase();
  return lines.find((l) => l.sku_code.toLowerCase() === code) ?? lines.find((l) => skuIds.includes(l.sku_id));
}

/** toBatch: the API's count lines (thousandths as JSON numbers). */
export function toBatch(pending: PendingCount[]): { sku_id: string; qty: number }[] {
  return pending.map((p) => {
    if (p.qty > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('count: too large');
    return { sku_id: p.sku_id, qty: Number(p.qty) };
  });
}
