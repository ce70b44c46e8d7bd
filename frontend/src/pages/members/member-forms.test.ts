import { describe, expect, it } from 'vitest';
import { filenameFrom } from '../../components/download';
import { dayjs } from '../../lib/time';
import { updateInput } from './MemberForm';
import { toFilters } from './member-list';

describe('member profile edits', () => {
  const before = { name: '王*', phone: '138****0001', gender: 'male' as const, birthday: null, address: '', marketing_consent: false, tags: ['常客'] };

  it('sends only what changed, so a masked name or phone is never written back', () => {
    expect(updateInput(before, { ...before })).toEqual({});
    expect(updateInput(before, { ...before, tags: ['常客', '生鲜'], marketing_consent: true })).toEqual({ tags: ['常客', '生鲜'], marketing_consent: true });
    expect(updateInput(before, { ...before, birthday: dayjs('1990-06-15') })).toEqual({ birthday: '1990-06-15' });
    expect(updateInput(before, { ...before, phone: ' 13900000009 ' })).toEqual({ phone: '13900000009' });
  });
});

describe('member search filters', () => {
  it('reads spend in yuan as exact fen and days at midnight in the chain’s zone', () => {
    expect(toFilters({ phone: ' 13800000001 ', min_spend_yuan: '1,500.10', visited_after: '2026-03-01' }, 'Asia/Shanghai')).toEqual({
      phone: '13800000001',
      min_spend: 150010,
      max_spend: undefined,
      visited_after: '2026-02-28T16:00:00.000Z',
      visited_before: undefined,
    });
  });

  it('sends a card number as the list’s card filter, trimmed', () => {
    expect(toFilters({ card: ' C0042X ', tag: 'vip' }, 'Asia/Shanghai')).toMatchObject({ card: 'C0042X', tag: 'vip' });
    expect(toFilters({ card: '  ' }, 'Asia/Shanghai')).not.toHaveProperty('card');
  });
});

describe('download names', () => {
  it('reads Content-Disposition', () => {
    expect(filenameFrom('attachment; filename="members.xlsx"')).toBe('members.xlsx');
    expect(filenameFrom("attachment; filename*=UTF-8''%E5%88%A9%E6%B6%A6%E8%A1%A8.xlsx")).toBe('利润表.xlsx');
    expect(filenameFrom(null)).toBeUndefined();
  });
});
