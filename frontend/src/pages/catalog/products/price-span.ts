import type { Sku } from '../../../api/types';

/** PriceKind: the HQ prices the products list shows. */
export type PriceKind = 'list' | 'member';

/** PriceSpan: the lowest and highest price in fen among a product's SKUs (equal for one price). */
export interface PriceSpan {
  min: number;
  max: number;
  /** SKUs of the product that have no such price. */
  unpriced: number;
}

/**
 * priceSpan: what one product's SKUs cost as HQ prices them now (the `price` that `with=prices` embeds),
 * null when none of them has that price. Integer fen compared, never added.
 */
export function priceSpan(skus: readonly Pick<Sku, 'price'>[], kind: PriceKind): PriceSpan | null {
  let min: number | null = null;
  let max: number | null = null;
  let unpriced = 0;
  for (const k of skus) {
    const fen = k.price?.[kind];
    if (fen === null || fen === undefined) {
      unpriced++;
      continue;
    }
    min = min === null ? fen : Math.min(min, fen);
    max = max === null ? fen : Math.max(max, fen);
  }
  return min === null || max === null ? null : { min, max, unpriced };
}
