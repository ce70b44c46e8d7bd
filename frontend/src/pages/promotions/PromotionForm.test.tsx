import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import type { Promotion, PromotionInput } from '../../api/types';
import { PromotionForm, type PromotionPickers } from './PromotionForm';

const pickers: PromotionPickers = {
  stores: [{ value: 'st-1', label: '人民广场店（SH001）' }],
  categories: [{ value: 'cat-drink', label: '饮料' }],
  brands: [],
  tiers: [{ value: 'gold', label: '金卡' }],
  searchSkus: async () => [],
  nameSkus: async () => [],
};

/** fill types a value by pasting it (the form is big: typing key by key is slow in jsdom). */
async function fill(user: ReturnType<typeof userEvent.setup>, element: HTMLElement | undefined, text: string) {
  await user.click(element as HTMLElement);
  await user.paste(text);
}

function renderForm(onCreate: (input: PromotionInput) => Promise<void>, hq = true) {
  render(
    <App>
      <PromotionForm hq={hq} pickers={pickers} open onOpenChange={() => undefined} onCreate={onCreate} />
    </App>,
  );
  return within(document.querySelector('.ant-drawer-content') as HTMLElement);
}

describe('PromotionForm', () => {
  it('sends a 满减 with two steps typed in yuan as exact fen, and shows a step error from the API under its field', async () => {
    const user = userEvent.setup({ delay: null });
    const onCreate = vi
      .fn<(input: PromotionInput) => Promise<void>>()
      .mockRejectedValueOnce(
        new ApiError({
          status: 422,
          code: 'promotions.invalid',
          title: 'The promotion is invalid',
          errors: [{ field: 'rule.steps[1].off', message: 'must be less than the threshold' }],
        }),
      )
      .mockResolvedValueOnce(undefined);
    const drawer = renderForm(onCreate);

    await fill(user, drawer.getByLabelText('名称'), '春季满减');
    await fill(user, drawer.getAllByLabelText('满（元）')[0] as HTMLElement, '99.9');
    await fill(user, drawer.getAllByLabelText('减（元）')[0] as HTMLElement, '10.1');
    await user.click(drawer.getByRole('button', { name: /添加档位/ }));
    await fill(user, drawer.getAllByLabelText('满（元）')[1] as HTMLElement, '199.99');
    await fill(user, drawer.getAllByLabelText('减（元）')[1] as HTMLElement, '30.05');
    await fill(user, drawer.getByLabelText('优惠预算'), '1,000');
    const save = drawer.getByRole('button', { name: /保\s*存/ });
    await user.click(save);

    await waitFor(() => expect(onCreate).toHaveBeenCalledTimes(1));
    expect(onCreate.mock.calls[0]?.[0]).toMatchObject({
      name: '春季满减',
      kind: 'spend_amount_off',
      rule: { steps: [{ threshold: 9990, off: 1010 }, { threshold: 19999, off: 3005 }] },
      budget: 100000,
      forced: false,
      stores: { scope: 'all' },
    });
    expect(await drawer.findByText('must be less than the threshold')).toBeTruthy();

    await user.click(save);
    await waitFor(() => expect(onCreate).toHaveBeenCalledTimes(2));
  }, 120_000); // the whole form re-renders per keystroke in jsdom: slow on a busy machine

  it('shows only the fields of the kind chosen, and a third decimal is refused before sending', async () => {
    const user = userEvent.setup({ delay: null });
    const onCreate = vi.fn<(input: PromotionInput) => Promise<void>>().mockResolvedValue(undefined);
    const drawer = renderForm(onCreate, false);
    await fill(user, drawer.getByLabelText('名称'), '第二件半价');
    await user.click(drawer.getByLabelText('促销类型'));
    await user.click(await screen.findByTitle('第N件优惠'));

    expect(drawer.queryByLabelText('满（元）')).toBeNull();
    expect(drawer.getByLabelText('第 N 件')).toBeTruthy();
    expect(drawer.queryByLabelText('强制加盟店参加')).toBeNull(); // HQ only
    await fill(user, drawer.getByLabelText('减免比例'), '50.005');
    await user.click(drawer.getByRole('button', { name: /保\s*存/ }));
    expect(await drawer.findByText('比例最多两位小数')).toBeTruthy();
    expect(onCreate).not.toHaveBeenCalled();

    await user.clear(drawer.getByLabelText('减免比例'));
    await fill(user, drawer.getByLabelText('减免比例'), '50');
    expect(drawer.getByText('即 5 折')).toBeTruthy();
    await user.click(drawer.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    const input = onCreate.mock.calls[0]?.[0];
    expect(input?.kind).toBe('nth_item');
    expect(input?.rule).toEqual({ n: 2, off_bp: 5000 });
    expect(input).not.toHaveProperty('forced');
  }, 120_000);

  it("names a stored promotion's SKUs by id, keeping an id it cannot name", async () => {
    const stored: Promotion = {
      id: 'p1',
      name: '可乐特价',
      name_en: '',
      kind: 'percent_off',
      owner: 'hq',
      franchisee_id: null,
      status: 'draft',
      priority: 10,
      exclusive: false,
      group: 'item',
      forced: false,
      stores: { scope: 'all' },
      items: { skus: ['sku-cola', 'sku-gone'], exclude_skus: ['sku-tea'] },
      audience: {},
      window: { starts: null, ends: null, times: [] },
      rule: { off_bp: 1000 },
      budget: null,
      spent: 0,
      per_member_limit: null,
      opted_out: [],
      created_by: null,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    };
    const nameSkus = vi.fn(async (ids: string[]) =>
      [
        { value: 'sku-cola', label: '可口可乐 330ml（COLA-330）' },
        { value: 'sku-tea', label: '绿茶 500ml（TEA-500）' },
      ].filter((o) => ids.includes(o.value)),
    );
    render(
      <App>
        <PromotionForm hq promotion={stored} pickers={{ ...pickers, nameSkus }} open onOpenChange={() => undefined} onUpdate={async () => undefined} />
      </App>,
    );
    const drawer = within(document.querySelector('.ant-drawer-content') as HTMLElement);
    expect(await drawer.findByText('可口可乐 330ml（COLA-330）')).toBeTruthy();
    expect(await drawer.findByText('绿茶 500ml（TEA-500）')).toBeTruthy();
    expect(drawer.getByText('sku-gone')).toBeTruthy();
    expect(nameSkus).toHaveBeenCalledWith(['sku-cola', 'sku-gone']);
    expect(nameSkus).toHaveBeenCalledWith(['sku-tea']);
    expect(nameSkus).toHaveBeenCalledTimes(2);
  }, 120_000);
});
