import type { CatalogItem, MovementInput } from '../../api/types';
import { fenForApi, parseYuan } from '../../lib/money';
import { QuantityParseError, formatQuantity, parseQuantity, type QuantityUnit } from '../../lib/quantity';

/** qty: thousandths as text with the unit if given ("24 瓶"), '—' for none. */
export const qty = (v: number | null | undefined, unit?: QuantityUnit) => (v === null || v === undefined ? '—' : formatQuantity(v, unit));

// The lines a stock document is typed as (SKU, quantity text, unit cost
// text, expiry day) and what the API takes: thousandths and fen, by
// string arithmetic.

export interface DraftLine {
  sku_id: string;
  code: string;
  name: string;
  unit: string;
  qty: string;
  unit_cost?: string;
  expiry_date?: string; // YYYY-MM-DD
}

export const draftLine = (item: Pick<CatalogItem, 'sku_id' | 'code' | 'name' | 'unit'>, qty = ''): DraftLine => ({
  sku_id: item.sku_id,
  code: item.code,
  name: item.name,
  unit: item.unit,
  qty,
});

/** addDraftLine: a SKU added again adds nothing (its line stays where it is). */
export function addDraftLine(lines: DraftLine[], line: DraftLine): DraftLine[] {
  return lines.some((l) => l.sku_id === line.sku_id) ? lines : [...lines, line];
}

export type LineProblem = 'empty' | 'format' | 'precision' | 'zero' | 'negative' | 'cost';

export interface LineErrors {
  /** Problems by line index, for the row. */
  [index: number]: LineProblem;
}

/**
 * parseLines reads the drafts into the API's lines, or returns the
 * problems by line: a quantity must be positive (signed for an adjustment,
 * never zero), a cost at most two decimals.
 */
export function parseLines(
  lines: DraftLine[],
  { signed = false }: { signed?: boolean } = {},
): { lines: MovementInput['lines']; errors: LineErrors } {
  const errors: LineErrors = {};
  const out: MovementInput['lines'] = [];
  lines.forEach((l, i) => {
    let qty: bigint;
    try {
      qty = parseQuantity(l.qty);
    } catch (e) {
      errors[i] = e instanceof QuantityParseError ? e.reason : 'format';
      return;
    }
    if (qty === 0n) {
      errors[i] = 'zero';
      return;
    }
    if (qty < 0n && !signed) {
      errors[i] = 'negative';
      return;
    }
    const line: MovementInput['lines'][number] = { sku_id: l.sku_id, qty: Number(qty) };
    if (l.unit_cost && l.unit_cost.trim() !== '') {
      try {
        const fen = parseYuan(l.unit_cost);
        if (fen < 0n) throw new RangeError('negative');
        line.unit_cost = fenForApi(fen);
      } catch {
        errors[i] = 'cost';
        return;
      }
    }
    if (l.expiry_date) line.expiry_date = l.expiry_date;
    out.push(line);
  });
  return { lines: out, errors };
}

/** lineErrorsFromApi: the API's `lines[2].qty` field errors, by line index. */
export function lineErrorsFromApi(errors: { field: string; message: string }[]): { byLine: Record<number, string>; rest: { field: string; message: string }[] } {
  const byLine: Record<number, string> = {};
  const rest: { field: string; message: string }[] = [];
  for (const e of errors) {
    const m = /^lines\[(\d+)\]/.exec(e.field);
    if (m) byLine[Number(m[1])] = byLine[Number(m[1])] ? `${byLine[Number(m[1])]}；${e.message}` : e.message;
    else rest.push(e);
  }
  return { byLine, rest };
}
