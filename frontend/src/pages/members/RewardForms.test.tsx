import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import type { MemberGiftInput, TopupRuleInput } from '../../api/types';
import { GiftForm, TopupRuleForm } from './RewardForms';

const submitOf = (dialog: ReturnType<typeof within>) => dialog.getByRole('button', { name: /保\s*存/ });

describe('TopupRuleForm', () => {
  it('sends yuan as integer fen, refuses sub-fen amounts on their field, and shows the API field errors on their fields', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi
      .fn<(input: TopupRuleInput) => Promise<void>>()
      .mockRejectedValueOnce(new ApiError({ status: 422, code: 'request.invalid', title: 'Invalid', errors: [{ field: 'name', message: 'is taken by another rule' }] }))
      .mockResolvedValueOnce(undefined);
    render(
      <App>
        <TopupRuleForm onSubmit={onSubmit} onClose={() => undefined} />
      </App>,
    );
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('规则名称'), { target: { value: '充 100 送 10' } });
    fireEvent.change(dialog.getByLabelText('充值满（元）'), { target: { value: '100.005' } });
    await user.click(submitOf(dialog));
    expect(await dialog.findByText('金额最多保留两位小数')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(dialog.getByLabelText('充值满（元）'), { target: { value: '100' } });
    fireEvent.change(dialog.getByLabelText('赠送（元）'), { target: { value: '10.50' } });
    await user.click(submitOf(dialog));
    expect(await dialog.findByText('is taken by another rule')).toBeTruthy();
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({ name: '充 100 送 10', min_amount: 10000, bonus: 1050 });

    await user.click(submitOf(dialog));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
  });

  it('treats an empty bonus as none and a zero minimum as refused', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn<(input: TopupRuleInput) => Promise<void>>().mockResolvedValue(undefined);
    render(
      <App>
        <TopupRuleForm onSubmit={onSubmit} onClose={() => undefined} />
      </App>,
    );
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('规则名称'), { target: { value: '满 50' } });
    fireEvent.change(dialog.getByLabelText('充值满（元）'), { target: { value: '0' } });
    await user.click(submitOf(dialog));
    expect(await dialog.findByText('门槛须大于 0')).toBeTruthy();
    fireEvent.change(dialog.getByLabelText('充值满（元）'), { target: { value: '50' } });
    await user.click(submitOf(dialog));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ name: '满 50', min_amount: 5000, bonus: 0 }));
  });
});

describe('GiftForm', () => {
  it('sends an empty stock as unlimited (null)', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn<(input: MemberGiftInput) => Promise<void>>().mockResolvedValue(undefined);
    render(
      <App>
        <GiftForm onSubmit={onSubmit} onClose={() => undefined} />
      </App>,
    );
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('礼品名称'), { target: { value: '环保购物袋' } });
    fireEvent.change(dialog.getByLabelText('所需积分'), { target: { value: '200' } });
    await user.click(submitOf(dialog));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ name: '环保购物袋', points_cost: 200, stock: null }));
  });
});
