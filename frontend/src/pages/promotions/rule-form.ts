import type { TFunction } from 'i18next';
import type { Dayjs } from 'dayjs';
import type { Promotion, PromotionInput, PromotionKind, PromotionRule, PromotionUpdate } from '../../api/types';
import { MoneyParseError, fenForApi, formatYuanInput, parseYuan } from '../../lib/money';
import { QuantityParseError, formatQuantity, parseQuantity } from '../../lib/quantity';
import { dayjs } from '../../lib/time';

// The promotion form's values and the API's PromotionInput, both ways.
// Amounts are typed in yuan and become exact fen (money.ts: strings and
// BigInt, never a float); percentages become basis points the same way;
// quantities become thousandths. Each kind writes only its own rule fields
// (PromotionKind in api/openapi.yaml).

export const promotionKinds = [
  'spend_amount_off',
  'spend_percent_off',
  'percent_off',
  'amount_off',
  'special_price',
  'nth_item',
  'buy_n_get_m',
  'bundle',
  'member_price',
  'tier_discount',
] as const satisfies readonly PromotionKind[];

export interface StepValues {
  threshold?: string;
  off?: string; // 满减: yuan off
  off_percent?: string; // 满折: percent off
}

export interface ComponentValues {
  skus?: string[];
  categories?: string[];
  units?: number;
}

export interface TimeRangeValues {
  from?: string; // "HH:mm"
  to?: string;
}

export interface PromotionFormValues {
  name: string;
  name_en?: string;
  kind: PromotionKind;
  // the rule
  off_percent?: string;
  amount?: string;
  price?: string;
  steps?: StepValues[];
  repeat?: boolean;
  n?: number;
  m?: number;
  same_sku?: boolean;
  components?: ComponentValues[];
  max_off?: string;
  limit_qty?: string;
  limit_sets?: number;
  // where, what, who, when
  store_scope?: 'all' | 'list' | 'direct' | 'franchise';
  store_ids?: string[];
  skus?: string[];
  categories?: string[];
  brands?: string[];
  exclude_skus?: string[];
  exclude_categories?: string[];
  exclude_brands?: string[];
  members_only?: boolean;
  tiers?: string[];
  starts?: Dayjs | null;
  ends?: Dayjs | null;
  weekdays?: number[];
  times?: TimeRangeValues[];
  // limits and stacking
  budget?: string;
  per_member_limit?: number | null;
  exclusive?: boolean;
  priority?: number;
  group?: string;
  forced?: boolean;
}

/** Which rule fields a kind reads (the form shows only these). */
export const kindFields: Record<PromotionKind, readonly (keyof PromotionRule)[]> = {
  special_price: ['price', 'limit_qty'],
  member_price: [],
  percent_off: ['off_bp', 'max_off', 'limit_qty'],
  amount_off: ['amount', 'limit_qty'],
  tier_discount: ['off_bp', 'max_off'],
  buy_n_get_m: ['n', 'm', 'same_sku', 'limit_sets'],
  nth_item: ['n', 'off_bp', 'same_sku', 'limit_sets'],
  bundle: ['components', 'price', 'limit_sets'],
  spend_amount_off: ['steps', 'repeat', 'max_off'],
  spend_percent_off: ['steps', 'max_off'],
};

export const hasField = (kind: PromotionKind | undefined, field: keyof PromotionRule) => !!kind && kindFields[kind].includes(field);

/** Why a percentage was refused; i18n ids promotions:form.percent.<reason>. */
export class PercentParseError extends Error {
  constructor(readonly reason: 'empty' | 'format' | 'precision' | 'range') {
    super(`percent: ${reason}`);
    this.name = 'PercentParseError';
  }
}

/** parsePercentBp reads "12.5" (percent) into basis points (1250) by string arithmetic; 0–100, two decimals. */
export function parsePercentBp(input: string): number {
  const text = (input ?? '').trim().replace(/[%％\s]/g, '');
  if (text === '') throw new PercentParseError('empty');
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new PercentParseError('format');
  const [, whole = '', frac = ''] = m;
  if (frac.length > 2) throw new PercentParseError('precision');
  const bp = Number((whole || '0') + frac.padEnd(2, '0'));
  if (bp > 10000) throw new PercentParseError('range');
  return bp;
}

/** formatBpPercent: basis points as the percent text the form shows (1250 → "12.5"). */
export function formatBpPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** zhe: the Chinese 折 of a percentage off (10% off is 9折, 25% off is 7.5折), or "" when it does not parse. */
export function zhe(offPercent: string | undefined): string {
  try {
    const left = 10000 - parsePercentBp(offPercent ?? ''); // thousandths of 折
    const frac = String(left % 1000).padStart(3, '0').replace(/0+$/, '');
    return frac ? `${Math.floor(left / 1000)}.${frac}` : String(left / 1000);
  } catch {
    return '';
  }
}

const fen = (yuan: string | undefined) => fenForApi(parseYuan(yuan ?? ''));
const optionalFen = (yuan: string | undefined) => (yuan && yuan.trim() !== '' ? fen(yuan) : undefined);

function minutes(hhmm: string | undefined): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm ?? '');
  if (!m) throw new RangeError(`time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

const hhmm = (mins: number) => `${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;

/** ruleOf builds the kind's rule from the form: only the fields that kind reads. */
export function ruleOf(v: PromotionFormValues): PromotionRule {
  const rule: PromotionRule = {};
  const fields = kindFields[v.kind];
  for (const field of fields) {
    switch (field) {
      case 'off_bp':
        rule.off_bp = parsePercentBp(v.off_percent ?? '');
        break;
      case 'amount':
        rule.amount = fen(v.amount);
        break;
      case 'price':
        rule.price = fen(v.price);
        break;
      case 'steps':
        rule.steps = (v.steps ?? []).map((s) =>
          v.kind === 'spend_amount_off'
            ? { threshold: fen(s.threshold), off: fen(s.off) }
            : { threshold: fen(s.threshold), off_bp: parsePercentBp(s.off_percent ?? '') },
        );
        break;
      case 'repeat':
        if (v.repeat) rule.repeat = true;
        break;
      case 'n':
        rule.n = v.n ?? 0;
        break;
      case 'm':
        rule.m = v.m ?? 0;
        break;
      case 'same_sku':
        if (v.same_sku) rule.same_sku = true;
        break;
      case 'components':
        rule.components = (v.components ?? []).map((c) => ({
          items: {
            ...(c.skus?.length ? { skus: c.skus } : {}),
            ...(c.categories?.length ? { categories: c.categories } : {}),
          },
          units: c.units ?? 1,
        }));
        break;
      case 'max_off': {
        const cap = optionalFen(v.max_off);
        if (cap) rule.max_off = cap;
        break;
      }
      case 'limit_qty':
        if (v.limit_qty && v.limit_qty.trim() !== '') {
          const qty = parseQuantity(v.limit_qty);
          if (qty > 0n) rule.limit_qty = Number(qty);
        }
        break;
      case 'limit_sets':
        if (v.limit_sets) rule.limit_sets = v.limit_sets;
        break;
      default:
        break;
    }
  }
  return rule;
}

const list = (ids: string[] | undefined) => (ids && ids.length > 0 ? ids : undefined);

function definitionOf(v: PromotionFormValues) {
  const scope = v.store_scope ?? 'all';
  const items = Object.fromEntries(
    (['skus', 'categories', 'brands', 'exclude_skus', 'exclude_categories', 'exclude_brands'] as const)
      .map((k) => [k, list(v[k])] as const)
      .filter(([, ids]) => ids !== undefined),
  );
  return {
    name: v.name.trim(),
    name_en: v.name_en?.trim() ?? '',
    priority: v.priority ?? 0,
    exclusive: v.exclusive ?? false,
    group: v.group?.trim() ?? '',
    stores: scope === 'list' ? { scope, ids: v.store_ids ?? [] } : { scope },
    items,
    audience: {
      members_only: v.kind === 'member_price' || v.kind === 'tier_discount' || (v.members_only ?? false) || (v.tiers?.length ?? 0) > 0,
      ...(list(v.tiers) ? { tiers: v.tiers } : {}),
    },
    window: {
      starts: v.starts ? v.starts.toISOString() : null,
      ends: v.ends ? v.ends.toISOString() : null,
      ...((v.weekdays ?? []).length > 0 ? { weekdays: [...(v.weekdays ?? [])].sort((a, b) => a - b) } : {}),
      ...((v.times ?? []).length > 0 ? { times: (v.times ?? []).map((r) => ({ from: minutes(r.from), to: minutes(r.to) })) } : {}),
    },
    rule: ruleOf(v),
  };
}

/** toPromotionInput: the body of POST /promotions. `hq` sends `forced` (HQ only). */
export function toPromotionInput(v: PromotionFormValues, hq: boolean): PromotionInput {
  const budget = optionalFen(v.budget);
  return {
    ...definitionOf(v),
    kind: v.kind,
    ...(hq ? { forced: v.forced ?? false } : {}),
    budget: budget ?? null,
    per_member_limit: v.per_member_limit ?? null,
  };
}

/** toPromotionUpdate: the body of PATCH /promotions/{id} (the kind is fixed once created). */
export function toPromotionUpdate(v: PromotionFormValues, hq: boolean): PromotionUpdate {
  const budget = optionalFen(v.budget);
  return {
    ...definitionOf(v),
    ...(hq ? { forced: v.forced ?? false } : {}),
    ...(budget ? { budget } : { clear_budget: true }),
    ...(v.per_member_limit ? { per_member_limit: v.per_member_limit } : { clear_per_member_limit: true }),
  };
}

/** toFormValues: a stored promotion as the form edits it. */
export function toFormValues(p: Promotion): PromotionFormValues {
  const r = p.rule;
  return {
    name: p.name,
    name_en: p.name_en,
    kind: p.kind,
    off_percent: r.off_bp !== undefined ? formatBpPercent(r.off_bp) : undefined,
    amount: r.amount !== undefined ? formatYuanInput(r.amount) : undefined,
    price: r.price !== undefined ? formatYuanInput(r.price) : undefined,
    steps: r.steps?.map((s) => ({
      threshold: formatYuanInput(s.threshold ?? 0),
      off: s.off !== undefined ? formatYuanInput(s.off) : undefined,
      off_percent: s.off_bp !== undefined ? formatBpPercent(s.off_bp) : undefined,
    })),
    repeat: r.repeat ?? false,
    n: r.n,
    m: r.m,
    same_sku: r.same_sku ?? false,
    components: r.components?.map((c) => ({ skus: c.items?.skus ?? [], categories: c.items?.categories ?? [], units: c.units ?? 1 })),
    max_off: r.max_off ? formatYuanInput(r.max_off) : undefined,
    limit_qty: r.limit_qty ? formatQuantity(r.limit_qty).replace(/,/g, '') : undefined,
    limit_sets: r.limit_sets || undefined,
    store_scope: p.stores.scope ?? 'all',
    store_ids: p.stores.ids ?? [],
    skus: p.items.skus ?? [],
    categories: p.items.categories ?? [],
    brands: p.items.brands ?? [],
    exclude_skus: p.items.exclude_skus ?? [],
    exclude_categories: p.items.exclude_categories ?? [],
    exclude_brands: p.items.exclude_brands ?? [],
    members_only: p.audience.members_only ?? false,
    tiers: p.audience.tiers ?? [],
    starts: p.window.starts ? dayjs(p.window.starts) : null,
    ends: p.window.ends ? dayjs(p.window.ends) : null,
    weekdays: p.window.weekdays ?? [],
    times: (p.window.times ?? []).map((t) => ({ from: hhmm(t.from), to: hhmm(t.to) })),
    budget: p.budget !== null ? formatYuanInput(p.budget) : undefined,
    per_member_limit: p.per_member_limit,
    exclusive: p.exclusive,
    priority: p.priority,
    group: p.group,
    forced: p.forced,
  };
}

/** newFormValues: what a new promotion's form starts with, per kind. */
export function newFormValues(kind: PromotionKind = 'spend_amount_off'): PromotionFormValues {
  return {
    name: '',
    kind,
    steps: [{}],
    n: 2,
    m: 1,
    components: [{ units: 1 }, { units: 1 }],
    store_scope: 'all',
    priority: 0,
    exclusive: false,
    forced: false,
  };
}

// ── form rules (antd) for the texts above, in the console's words ──

const moneyText = (t: TFunction, e: unknown) => (e instanceof MoneyParseError ? t(`common:money.${e.reason}`) : String(e));

/** moneyRule: an optional yuan amount (required with `required: true` rules beside it). */
export const moneyRule = (t: TFunction) => ({
  validator: (_: unknown, value: string | undefined) => {
    if (value === undefined || value.trim() === '') return Promise.resolve();
    try {
      if (parseYuan(value) < 0n) return Promise.reject(new Error(t('promotions:form.notNegative')));
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(new Error(moneyText(t, e)));
    }
  },
});

export const percentRule = (t: TFunction) => ({
  validator: (_: unknown, value: string | undefined) => {
    if (value === undefined || value.trim() === '') return Promise.resolve();
    try {
      parsePercentBp(value);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(new Error(e instanceof PercentParseError ? t(`promotions:form.percent.${e.reason}`) : String(e)));
    }
  },
});

export const quantityRule = (t: TFunction) => ({
  validator: (_: unknown, value: string | undefined) => {
    if (value === undefined || value.trim() === '') return Promise.resolve();
    try {
      parseQuantity(value);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(new Error(e instanceof QuantityParseError ? t(`common:quantity.${e.reason}`) : String(e)));
    }
  },
});

/**
 * apiFieldNames maps the API's field names to the form's, so a 422 lands
 * under the right input: rule.steps[1].off → steps[1].off, rule.off_bp → off_percent.
 */
export function formFieldOf(apiField: string, kind: PromotionKind): (string | number)[] | undefined {
  const step = /^rule\.steps\[(\d+)\]\.(threshold|off|off_bp)$/.exec(apiField);
  if (step) return ['steps', Number(step[1]), step[2] === 'off_bp' ? 'off_percent' : (step[2] as string)];
  if (apiField === 'rule.steps') return ['steps'];
  const comp = /^rule\.components\[(\d+)\]\.(units|items.*)$/.exec(apiField);
  if (comp) return ['components', Number(comp[1]), comp[2] === 'units' ? 'units' : 'skus'];
  const direct: Record<string, string> = {
    'rule.off_bp': 'off_percent',
    'rule.amount': 'amount',
    'rule.price': 'price',
    'rule.n': 'n',
    'rule.m': 'm',
    'rule.max_off': 'max_off',
    'rule.limit_qty': 'limit_qty',
    'rule.limit_sets': 'limit_sets',
    'stores.ids': 'store_ids',
    'stores.scope': 'store_scope',
    'window.starts': 'starts',
    'window.ends': 'ends',
    'window.weekdays': 'weekdays',
    'window.times': 'times',
    'audience.tiers': 'tiers',
    'items.skus': 'skus',
    'items.categories': 'categories',
    'items.brands': 'brands',
    budget: 'budget',
    per_member_limit: 'per_member_limit',
    name: 'name',
    name_en: 'name_en',
    group: 'group',
    priority: 'priority',
  };
  const name = direct[apiField];
  if (name) return [name];
  if (apiField === 'rule' && kind === 'bundle') return ['components'];
  return undefined;
}
