import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import type { Member, PosApproval, StoredValueEntry } from '../../api/types';
import { meFor } from '../../test/me';
import { ApprovalProvider, type EndSession, type SignIn } from './ApprovalDialog';
import { MemberDialog, type TillMember } from './MemberDialog';

vi.mock('../../app/session', () => ({ useSession: () => ({ me: meFor('cashier') }) }));

const q = vi.hoisted(() => ({
  registerMember: vi.fn(),
  topUpMember: vi.fn(),
  cashOutMember: vi.fn(),
  lookupMember: vi.fn(),
}));
// Only the member calls are mocked (the worker shares modules between files, isolate: false);
// the manager's sign-in and sign-out are handed to the ApprovalProvider.
vi.mock('./memberQueries', () => ({
  registerMember: q.registerMember,
  topUpMember: q.topUpMember,
  cashOutMember: q.cashOutMember,
  lookupMember: q.lookupMember,
}));

const STORE = '0190a000-0000-7000-8000-000000000001';
const MEMBER = '0190a000-0000-7000-8000-0000000000aa';
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const current: TillMember = { id: MEMBER, name: '李雷', phone: '139****0042', balance: 12000, cardNo: 'C0042' };

function entry(over: Partial<StoredValueEntry>): StoredValueEntry {
  return {
    id: '0190a000-0000-7000-8000-0000000000ee',
    kind: 'topup',
    principal: 0,
    bonus: 0,
    principal_after: 0,
    bonus_after: 0,
    store_id: STORE,
    source_type: 'till_topup',
    source_id: null,
    refunds_id: null,
    created_at: '2026-03-01T02:00:00Z',
    ...over,
  };
}

const endSession = vi.fn<EndSession>(() => Promise.resolve());

function renderDialog(member: TillMember | null, signIn: SignIn = vi.fn<SignIn>()) {
  const onRegistered = vi.fn<(m: Member) => void>();
  const onBalance = vi.fn<(id: string, e: StoredValueEntry) => void>();
  render(
    <App>
      <ApprovalProvider signIn={signIn} endSession={endSession}>
        <MemberDialog open storeId={STORE} member={member} onRegistered={onRegistered} onBalance={onBalance} onClose={vi.fn()} />
      </ApprovalProvider>
    </App>,
  );
  return { onRegistered, onBalance, dialog: within(screen.getByRole('dialog', { name: '会员业务' })) };
}

// Over the member dialog, the approval dialog is a second modal (testing-library's role query does not see it as a dialog there).
const openTitles = () => Array.from(document.querySelectorAll('.ant-modal-wrap:not([style*="display: none"]) .ant-modal-title')).map((d) => d.textContent);
async function approvalDialog() {
  const title = await screen.findByText('店长授权', { selector: '.ant-modal-title' });
  return within(title.closest('.ant-modal-content') as HTMLElement);
}

beforeEach(() => {
  for (const f of [q.registerMember, q.topUpMember, q.cashOutMember, q.lookupMember]) f.mockReset();
});

describe('the till’s member services', () => {
  it('registers a member at the counter, showing the API’s field errors under their fields, and resends the same key after a refusal is fixed', async () => {
    const user = userEvent.setup({ delay: null });
    q.registerMember
      .mockRejectedValueOnce(new ApiError({ status: 422, code: 'validation.failed', title: 'Invalid', errors: [{ field: 'phone', message: 'is not a phone number' }] }))
      .mockRejectedValueOnce(new ApiError({ status: 409, code: 'members.phone_taken', title: 'Another member of this chain has this phone number' }))
      .mockResolvedValueOnce({ id: MEMBER, name: '李雷', phone: '139****0042' } as Member);
    const { dialog, onRegistered } = renderDialog(null);
    expect(dialog.getByRole('tab', { name: '充值' }).getAttribute('aria-disabled')).toBe('true');

    // The phone is required before anything is sent.
    await user.click(dialog.getByRole('button', { name: '登记并加入本单' }));
    expect(await dialog.findByText('请输入手机号')).toBeTruthy();
    expect(q.registerMember).not.toHaveBeenCalled();

    fireEvent.change(dialog.getByLabelText('手机号'), { target: { value: '1390000' } });
    await user.click(dialog.getByRole('button', { name: '登记并加入本单' }));
    expect(await dialog.findByText('is not a phone number')).toBeTruthy();

    fireEvent.change(dialog.getByLabelText('手机号'), { target: { value: '13900000042' } });
    fireEvent.change(dialog.getByLabelText('姓名'), { target: { value: ' 李雷 ' } });
    await user.click(dialog.getByRole('button', { name: '登记并加入本单' }));
    expect(await dialog.findByText('该手机号已是会员。')).toBeTruthy();
    await user.click(dialog.getByRole('button', { name: '登记并加入本单' }));
    await waitFor(() => expect(onRegistered).toHaveBeenCalledTimes(1));

    const calls = q.registerMember.mock.calls as [string, unknown, string][];
    expect(calls[1]?.[1]).toEqual({ phone: '13900000042', name: '李雷' });
    // The same body again is the same attempt: one Idempotency-Key.
    expect(calls[2]?.[2]).toBe(calls[1]?.[2]);
    expect(calls[0]?.[2]).not.toBe(calls[1]?.[2]);
  });

  it('tops up in integer fen with one document per attempt, and shows the bonus and the new balance', async () => {
    const user = userEvent.setup({ delay: null });
    q.topUpMember
      .mockRejectedValueOnce(new ApiError({ status: 0, code: 'network.unreachable', title: 'The server could not be reached' }))
      .mockResolvedValueOnce(entry({ principal: 10050, bonus: 1000, principal_after: 20050, bonus_after: 3000 }))
      .mockResolvedValueOnce(entry({ principal: 100, bonus: 0, principal_after: 20150, bonus_after: 3000 }));
    const { dialog, onBalance } = renderDialog(current);
    expect(dialog.getByTestId('members-current').textContent).toContain('¥120.00');

    fireEvent.change(dialog.getByLabelText('充值金额（元）'), { target: { value: '100.505' } });
    await user.click(dialog.getByRole('button', { name: '确认充值' }));
    expect(await dialog.findByText('金额最多保留两位小数')).toBeTruthy();
    expect(q.topUpMember).not.toHaveBeenCalled();

    fireEvent.change(dialog.getByLabelText('充值金额（元）'), { target: { value: '100.50' } });
    await user.click(dialog.getByRole('radio', { name: '微信支付' }));
    await user.click(dialog.getByRole('button', { name: '确认充值' }));
    await waitFor(() => expect(q.topUpMember).toHaveBeenCalledTimes(1));
    await user.click(dialog.getByRole('button', { name: '确认充值' }));
    expect((await dialog.findByTestId('topup-result')).textContent).toBe('已充值 ¥100.50，赠送 ¥10.00，储值余额 ¥230.50');
    expect(onBalance).toHaveBeenCalledWith(MEMBER, expect.objectContaining({ principal_after: 20050 }));

    fireEvent.change(dialog.getByLabelText('充值金额（元）'), { target: { value: '1' } });
    await user.click(dialog.getByRole('button', { name: '确认充值' }));
    await waitFor(() => expect(q.topUpMember).toHaveBeenCalledTimes(3));

    const calls = q.topUpMember.mock.calls as [string, string, { amount: number; payment_method: string; source_type: string; source_id: string }, string][];
    const [first, retry, next] = calls;
    expect(first?.[1]).toBe(MEMBER);
    expect(first?.[2]).toEqual({ amount: 10050, payment_method: 'wechat', source_type: 'till_topup', source_id: expect.stringMatching(UUID7) as string });
    // The retry after a lost answer is the same document and key; the next top-up is a new one.
    expect(retry?.[2].source_id).toBe(first?.[2].source_id);
    expect(retry?.[3]).toBe(first?.[3]);
    expect(next?.[2]).toMatchObject({ amount: 100, payment_method: 'wechat' });
    expect(next?.[2].source_id).not.toBe(first?.[2].source_id);
    expect(next?.[3]).not.toBe(first?.[3]);
  });

  it('sends a cashier’s cash-out again as the manager who signs in, with the same document and key', async () => {
    const user = userEvent.setup({ delay: null });
    q.lookupMember.mockResolvedValue({ id: MEMBER, balance_principal: 9000, balance_bonus: 3000, balance: 12000 } as Member);
    const forbidden = new ApiError({ status: 403, code: 'auth.forbidden', title: 'You do not have permission for this action', detail: 'this needs pos:refund in this store' });
    q.cashOutMember
      .mockRejectedValueOnce(forbidden)
      .mockResolvedValueOnce(entry({ kind: 'cash_out', principal: -9000, bonus: -3000, principal_after: 0, bonus_after: 0 }));
    const signIn = vi.fn<SignIn>().mockResolvedValue('token-of-the-manager');
    const { dialog, onBalance } = renderDialog(current, signIn);

    await user.click(dialog.getByRole('tab', { name: '退卡' }));
    await waitFor(() => expect(dialog.getByText('¥90.00')).toBeTruthy());
    await user.click(dialog.getByRole('button', { name: '退卡…' }));
    await user.click(dialog.getByRole('button', { name: '确认退卡' }));
    await waitFor(() => expect(q.cashOutMember).toHaveBeenCalledTimes(1));
    const approval = await approvalDialog();
    expect(onBalance).not.toHaveBeenCalled();
    fireEvent.change(approval.getByLabelText('店长账号'), { target: { value: 'manager@demo.test' } });
    fireEvent.change(approval.getByLabelText('店长密码'), { target: { value: 'secret' } });
    await user.click(approval.getByRole('button', { name: '授 权' }));
    expect((await dialog.findByTestId('cashout-result')).textContent).toBe('已退卡：退还本金 ¥90.00，作废赠送 ¥30.00');
    await waitFor(() => expect(openTitles()).toEqual(['会员业务']));
    expect(signIn).toHaveBeenCalledWith('manager@demo.test', 'secret');
    expect(onBalance).toHaveBeenCalledWith(MEMBER, expect.objectContaining({ kind: 'cash_out' }));

    const calls = q.cashOutMember.mock.calls as [string, string, { source_id: string }, string, PosApproval | undefined][];
    expect(calls.map((c) => c[4])).toEqual([undefined, { token: 'token-of-the-manager' }]);
    // The manager's resend is the same document and key.
    expect(calls[1]?.[2]).toEqual(calls[0]?.[2]);
    expect(calls[1]?.[3]).toBe(calls[0]?.[3]);
    // …and the manager's session ends with it.
    expect(endSession).toHaveBeenCalledWith('token-of-the-manager');
  });

  it('cashes the card out only after confirming the principal paid back and the bonus forfeited', async () => {
    const user = userEvent.setup({ delay: null });
    q.lookupMember.mockResolvedValue({ id: MEMBER, balance_principal: 9000, balance_bonus: 3000, balance: 12000 } as Member);
    q.cashOutMember.mockResolvedValueOnce(entry({ kind: 'cash_out', principal: -9000, bonus: -3000, principal_after: 0, bonus_after: 0 }));
    const { dialog, onBalance } = renderDialog(current);

    await user.click(dialog.getByRole('tab', { name: '退卡' }));
    await waitFor(() => expect(dialog.getByText('¥90.00')).toBeTruthy());
    expect(q.lookupMember).toHaveBeenCalledWith(STORE, { card: 'C0042' });
    await user.click(dialog.getByRole('radio', { name: '支付宝' }));
    await user.click(dialog.getByRole('button', { name: '退卡…' }));
    expect((await dialog.findByTestId('cashout-confirm')).textContent).toContain('确认退卡？将以支付宝退还本金 ¥90.00，赠送 ¥30.00 作废');
    expect(q.cashOutMember).not.toHaveBeenCalled();

    await user.click(dialog.getByRole('button', { name: '确认退卡' }));
    expect((await dialog.findByTestId('cashout-result')).textContent).toBe('已退卡：退还本金 ¥90.00，作废赠送 ¥30.00');
    const [call] = q.cashOutMember.mock.calls as [string, string, { payment_method: string; source_type: string; source_id: string }, string, unknown][];
    expect(call?.[1]).toBe(MEMBER);
    expect(call?.[2]).toEqual({ payment_method: 'alipay', source_type: 'till_cash_out', source_id: expect.stringMatching(UUID7) as string });
    expect(onBalance).toHaveBeenCalledWith(MEMBER, expect.objectContaining({ principal_after: 0, bonus_after: 0 }));
  });
});
