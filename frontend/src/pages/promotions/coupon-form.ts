import type { Dayjs } from 'dayjs';
import type { CouponBatchInput } from '../../api/types';
import { fenForApi, parseYuan } from '../../lib/money';
import { parsePercentBp } from './rule-form';

// The coupon batch form's values and the API's CouponBatchInput: money in
// yuan becomes exact fen, percentages basis points.

export interface BatchFormValues {
  name: string;
  name_en?: string;
  kind: 'coupon_amount' | 'coupon_percent';
  issue_mode: 'member' | 'campaign' | 'printed';
  quantity: number;
  amount?: string;
  threshold?: string;
  off_percent?: string;
  max_off?: string;
  validity: 'fixed' | 'days';
  valid_from?: Dayjs | null;
  valid_until?: Dayjs | null;
  valid_days?: number;
  store_scope?: 'all' | 'list' | 'direct' | 'franchise';
  store_ids?: string[];
  categories?: string[];
  brands?: string[];
  exclusive?: boolean;
}

const fen = (yuan: string | undefined) => fenForApi(parseYuan(yuan ?? ''));

export function toBatchInput(v: BatchFormValues): CouponBatchInput {
  const scope = v.store_scope ?? 'all';
  const rule =
    v.kind === 'coupon_amount'
      ? { amount: fen(v.amount), threshold: v.threshold?.trim() ? fen(v.threshold) : 0 }
      : { off_bp: parsePercentBp(v.off_percent ?? ''), ...(v.max_off?.trim() ? { max_off: fen(v.max_off) } : {}), ...(v.threshold?.trim() ? { threshold: fen(v.threshold) } : {}) };
  return {
    name: v.name.trim(),
    name_en: v.name_en?.trim() ?? '',
    kind: v.kind,
    issue_mode: v.issue_mode,
    quantity: v.quantity,
    exclusive: v.exclusive ?? false,
    stores: scope === 'list' ? { scope, ids: v.store_ids ?? [] } : { scope },
    items: {
      ...(v.categories?.length ? { categories: v.categories } : {}),
      ...(v.brands?.length ? { brands: v.brands } : {}),
    },
    rule,
    ...(v.validity === 'fixed'
      ? { valid_from: v.valid_from ? v.valid_from.toISOString() : null, valid_until: v.valid_until ? v.valid_until.toISOString() : null, valid_days: null }
      : { valid_days: v.valid_days ?? null, valid_from: null, valid_until: null }),
  };
}
