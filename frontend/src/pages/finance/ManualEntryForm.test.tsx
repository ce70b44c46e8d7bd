import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import type { FinAccount, FinEntity, FinManualEntryInput } from '../../api/types';
import { dayjs } from '../../lib/time';
import { ManualEntryForm } from './ManualEntryForm';

const account = (code: string, name: string, isCash = false): FinAccount => ({
  id: `acc-${code}`,
  code,
  name,
  name_en: name,
  type: code.startsWith('1') ? 'asset' : 'expense',
  normal_side: 'debit',
  parent_id: null,
  is_cash: isCash,
  is_internal: false,
  system: true,
  created_at: '2026-01-01T00:00:00Z',
});

const hq: FinEntity = { id: 'ent-hq', kind: 'hq', franchisee_id: null, name: '总部', created_at: '2026-01-01T00:00:00Z' };

function renderForm(onSubmit: (input: FinManualEntryInput) => Promise<void>) {
  render(
    <App>
      <ManualEntryForm
        entities={[hq]}
        accounts={[account('1001', '库存现金', true), account('5602', '管理费用')]}
        stores={[]}
        currency="CNY"
        defaultDate={dayjs('2026-03-15')}
        onSubmit={onSubmit}
      />
    </App>,
  );
}

async function pickAccount(user: ReturnType<typeof userEvent.setup>, line: number, label: string) {
  await user.click(screen.getByRole('combobox', { name: `第 ${line} 行科目` }));
  const options = await screen.findAllByText(label);
  await user.click(options[options.length - 1] as HTMLElement);
}

describe('ManualEntryForm', () => {
  it('totals the lines in exact fen and submits only a balanced entry', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn<(input: FinManualEntryInput) => Promise<void>>().mockResolvedValue(undefined);
    renderForm(onSubmit);
    const submit = screen.getByRole('button', { name: '提交审核' });

    await pickAccount(user, 1, '5602 管理费用');
    await pickAccount(user, 2, '1001 库存现金');
    await user.type(screen.getByLabelText('第 1 行借方'), '0.1');
    await user.click(screen.getByRole('button', { name: /添加分录行/ }));
    await pickAccount(user, 3, '5602 管理费用');
    await user.type(screen.getByLabelText('第 3 行借方'), '0.2');
    await user.type(screen.getByLabelText('第 2 行贷方'), '0.29');

    // Unbalanced by one fen: the totals say so and the entry cannot be submitted.
    expect(screen.getByTestId('total-debit').textContent).toBe('¥0.30');
    expect(screen.getByTestId('total-credit').textContent).toBe('¥0.29');
    expect(screen.getByTestId('entry-balance').textContent).toContain('借方多 ¥0.01');
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    await user.click(submit);
    expect(onSubmit).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText('第 2 行贷方'));
    await user.type(screen.getByLabelText('第 2 行贷方'), '0.30');
    expect(screen.getByTestId('entry-balance').textContent).toContain('借贷平衡：¥0.30');
    await waitFor(() => expect((submit as HTMLButtonElement).disabled).toBe(false));
    await user.click(submit);

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      entity_id: 'ent-hq',
      business_date: '2026-03-15',
      memo: '',
      lines: [
        { account_code: '5602', store_id: null, debit: 10, credit: 0, cash_flow: '', memo: '' },
        { account_code: '1001', store_id: null, debit: 0, credit: 30, cash_flow: '', memo: '' },
        { account_code: '5602', store_id: null, debit: 20, credit: 0, cash_flow: '', memo: '' },
      ],
    });
  });

  it('refuses more than two decimals and both sides on a line, under the field', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn<(input: FinManualEntryInput) => Promise<void>>();
    renderForm(onSubmit);
    await user.type(screen.getByLabelText('第 1 行借方'), '1.005');
    expect(await screen.findByText('金额最多保留两位小数')).toBeTruthy();
    await user.clear(screen.getByLabelText('第 1 行借方'));
    await user.type(screen.getByLabelText('第 1 行借方'), '5');
    await user.type(screen.getByLabelText('第 1 行贷方'), '5');
    expect(await screen.findByText('一行只能填借方或贷方')).toBeTruthy();
    expect((screen.getByRole('button', { name: '提交审核' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the API refusal', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi
      .fn<(input: FinManualEntryInput) => Promise<void>>()
      .mockRejectedValue(new ApiError({ status: 422, code: 'finance.unbalanced', title: 'Unbalanced' }));
    renderForm(onSubmit);
    await pickAccount(user, 1, '5602 管理费用');
    await pickAccount(user, 2, '1001 库存现金');
    await user.type(screen.getByLabelText('第 1 行借方'), '12.50');
    await user.type(screen.getByLabelText('第 2 行贷方'), '12.5');
    await user.click(screen.getByRole('button', { name: '提交审核' }));
    expect(await screen.findByText('借贷不平衡。')).toBeTruthy();
    expect(onSubmit.mock.calls[0]?.[0].lines.map((l) => [l.debit, l.credit])).toEqual([
      [1250, 0],
      [0, 1250],
    ]);
  });
});
