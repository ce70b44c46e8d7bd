import type { Promotion } from '../../../api/types';

/**
 * promoPrices: the per-unit 限时特价 of each SKU from the store's active
 * special-price promotions that name it in `items.skus` (and do not
 * exclude it); the lowest when several do. Other kinds (percent off,
 * 满减 …), promotions over categories or brands, and weekday/hour windows
 * are left out: the API prices those at the till only (API-GAPS.md).
 */
export function promoPrices(promotions: Promotion[], skuIds: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of promotions) {
    if (p.kind !== 'special_price' || p.status !== 'active' || p.rule.price === undefined) continue;
    const named = new Set(p.items.skus ?? []);
    const excluded = new Set(p.items.exclude_skus ?? []);
    for (const id of skuIds) {
      if (!named.has(id) || excluded.has(id)) continue;
      const best = out.get(id);
      if (best === undefined || p.rule.price < best) out.set(id, p.rule.price);
    }
  }
  return out;
}
