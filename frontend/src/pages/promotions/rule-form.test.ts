import { describe, expect, it } from 'vitest';
import type { Promotion } from '../../api/types';
import { dayjs } from '../../lib/time';
import { formFieldOf, newFormValues, parsePercentBp, PercentParseError, ruleOf, toFormValues, toPromotionInput, toPromotionUpdate, zhe, type PromotionFormValues } from './rule-form';

const form = (over: Partial<PromotionFormValues>): PromotionFormValues => ({ ...newFormValues(over.kind), name: ' 测试 ', ...over });

describe('each kind writes only its own rule fields', () => {
  it.each<[string, Partial<PromotionFormValues>, object]>([
    ['spend_amount_off', { steps: [{ threshold: '100', off: '20' }, { threshold: '200.5', off: '50.05' }], repeat: false }, { steps: [{ threshold: 10000, off: 2000 }, { threshold: 20050, off: 5005 }] }],
    ['spend_amount_off', { steps: [{ threshold: '99', off: '10' }], repeat: true, max_off: '30' }, { steps: [{ threshold: 9900, off: 1000 }], repeat: true, max_off: 3000 }],
    ['spend_percent_off', { steps: [{ threshold: '100', off_percent: '10' }, { threshold: '300', off_percent: '12.5' }] }, { steps: [{ threshold: 10000, off_bp: 1000 }, { threshold: 30000, off_bp: 1250 }] }],
    ['percent_off', { off_percent: '15', limit_qty: '2.5', amount: '3' }, { off_bp: 1500, limit_qty: 2500 }],
    ['amount_off', { amount: '0.3', off_percent: '10' }, { amount: 30 }],
    ['special_price', { price: '9.9', limit_qty: '' }, { price: 990 }],
    ['nth_item', { n: 2, off_percent: '50', same_sku: true }, { n: 2, off_bp: 5000, same_sku: true }],
    ['buy_n_get_m', { n: 3, m: 1, limit_sets: 2 }, { n: 3, m: 1, limit_sets: 2 }],
    ['bundle', { components: [{ skus: ['s1'], units: 2 }, { categories: ['c1'], units: 1 }], price: '19.90' }, { components: [{ items: { skus: ['s1'] }, units: 2 }, { items: { categories: ['c1'] }, units: 1 }], price: 1990 }],
    ['member_price', { price: '1', off_percent: '5' }, {}],
    ['tier_discount', { off_percent: '5' }, { off_bp: 500 }],
  ])('%s', (kind, values, rule) => {
    expect(ruleOf(form({ ...values, kind: kind as PromotionFormValues['kind'] }))).toEqual(rule);
  });
});

describe('money typed in yuan becomes exact fen', () => {
  it('never goes through a float', () => {
    // 0.1 + 0.2 and 1.005 × 100 are the classic float traps.
    expect(ruleOf(form({ kind: 'amount_off', amount: '0.29' })).amount).toBe(29);
    expect(ruleOf(form({ kind: 'special_price', price: '1.15' })).price).toBe(115);
    expect(ruleOf(form({ kind: 'special_price', price: '¥1,234.56' })).price).toBe(123456);
    expect(ruleOf(form({ kind: 'special_price', price: '19.9' })).price).toBe(1990);
  });

  it('refuses a third decimal instead of rounding it', () => {
    expect(() => ruleOf(form({ kind: 'special_price', price: '1.005' }))).toThrow(/precision/);
  });

  it('reads percentages into basis points the same way', () => {
    expect(parsePercentBp('12.34')).toBe(1234);
    expect(parsePercentBp('100')).toBe(10000);
    expect(() => parsePercentBp('100.01')).toThrow(PercentParseError);
    expect(() => parsePercentBp('1.234')).toThrow(PercentParseError);
    expect(zhe('10')).toBe('9');
    expect(zhe('12.5')).toBe('8.75');
  });
});

describe('the whole input', () => {
  it('builds the 满减 body HQ sends, with its scope blocks', () => {
    const input = toPromotionInput(
      form({
        kind: 'spend_amount_off',
        name_en: 'Save',
        steps: [{ threshold: '100', off: '20' }, { threshold: '200', off: '50' }],
        store_scope: 'list',
        store_ids: ['st-1'],
        categories: ['cat-1'],
        exclude_brands: ['b-9'],
        tiers: ['gold'],
        starts: dayjs('2026-03-01T00:00:00Z'),
        ends: null,
        weekdays: [6, 0],
        times: [{ from: '22:00', to: '02:00' }],
        budget: '5000',
        per_member_limit: 3,
        exclusive: true,
        priority: 10,
        group: ' order ',
        forced: true,
      }),
      true,
    );
    expect(input).toEqual({
      name: '测试',
      name_en: 'Save',
      kind: 'spend_amount_off',
      priority: 10,
      exclusive: true,
      group: 'order',
      forced: true,
      stores: { scope: 'list', ids: ['st-1'] },
      items: { categories: ['cat-1'], exclude_brands: ['b-9'] },
      audience: { members_only: true, tiers: ['gold'] },
      window: { starts: '2026-03-01T00:00:00.000Z', ends: null, weekdays: [0, 6], times: [{ from: 1320, to: 120 }] },
      rule: { steps: [{ threshold: 10000, off: 2000 }, { threshold: 20000, off: 5000 }] },
      budget: 500000,
      per_member_limit: 3,
    });
  });

  it('sends no `forced` for a franchisee, and clears limits on edit when they are emptied', () => {
    const v = form({ kind: 'percent_off', off_percent: '10', forced: true });
    expect(toPromotionInput(v, false)).not.toHaveProperty('forced');
    expect(toPromotionInput(v, false)).toMatchObject({ stores: { scope: 'all' }, items: {}, budget: null, per_member_limit: null });
    const update = toPromotionUpdate(v, false);
    expect(update).not.toHaveProperty('kind');
    expect(update).toMatchObject({ clear_budget: true, clear_per_member_limit: true, rule: { off_bp: 1000 } });
  });

  it('round-trips a stored promotion through the form', () => {
    const stored: Promotion = {
      id: 'p1',
      name: '全场满100减20',
      name_en: '',
      kind: 'spend_amount_off',
      owner: 'hq',
      franchisee_id: null,
      status: 'active',
      priority: 10,
      exclusive: false,
      group: 'order',
      forced: false,
      stores: { scope: 'all' },
      items: {},
      audience: {},
      window: { starts: null, ends: null, times: [{ from: 540, to: 1320 }] },
      rule: { steps: [{ threshold: 10000, off: 2000 }] },
      budget: 5_000_000,
      spent: 0,
      per_member_limit: null,
      opted_out: [],
      created_by: null,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    };
    const values = toFormValues(stored);
    expect(values.steps).toEqual([{ threshold: '100.00', off: '20.00', off_percent: undefined }]);
    expect(values.budget).toBe('50000.00');
    expect(values.times).toEqual([{ from: '09:00', to: '22:00' }]);
    expect(toPromotionUpdate(values, true)).toMatchObject({ rule: stored.rule, budget: 5_000_000, window: { times: [{ from: 540, to: 1320 }] } });
  });

  it('maps the API field errors to the form fields', () => {
    expect(formFieldOf('rule.steps[1].off', 'spend_amount_off')).toEqual(['steps', 1, 'off']);
    expect(formFieldOf('rule.steps[0].off_bp', 'spend_percent_off')).toEqual(['steps', 0, 'off_percent']);
    expect(formFieldOf('rule.off_bp', 'percent_off')).toEqual(['off_percent']);
    expect(formFieldOf('stores.ids', 'percent_off')).toEqual(['store_ids']);
    expect(formFieldOf('nonsense', 'percent_off')).toBeUndefined();
  });
});
