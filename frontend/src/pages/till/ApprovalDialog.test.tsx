import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App, Button } from 'antd';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import type { PosApproval } from '../../api/types';
import { meFor } from '../../test/me';
import { ApprovalProvider, useApproval, type SignIn } from './ApprovalDialog';

vi.mock('../../app/session', () => ({ useSession: () => ({ me: meFor('cashier') }) }));
const ended: string[] = [];
const endSession = (token: string) => {
  ended.push(token);
  return Promise.resolve();
};

const required = new ApiError({ status: 403, code: 'pos.approval_required', title: 'Approval required', detail: 'the refund is above the return limit' });
const denied = new ApiError({ status: 403, code: 'pos.approval_denied', title: 'Approval denied', detail: 'the approver does not hold pos:refund in this store' });

function Harness({ send }: { send: (a?: PosApproval) => Promise<string> }) {
  const withApproval = useApproval();
  const [result, setResult] = useState('');
  return (
    <>
      <Button onClick={() => void withApproval(send).then(setResult, (e: ApiError) => setResult(`failed: ${e.code}`))}>go</Button>
      <output>{result}</output>
    </>
  );
}

function renderTill(send: (a?: PosApproval) => Promise<string>, signIn: SignIn) {
  render(
    <App>
      <ApprovalProvider signIn={signIn} endSession={endSession}>
        <Harness send={send} />
      </ApprovalProvider>
    </App>,
  );
}

describe('the till asks a manager when the API wants approval', () => {
  it('signs the manager in, resends with their token, lets a refused manager try again, and ends their sessions', async () => {
    const user = userEvent.setup({ delay: null });
    ended.length = 0;
    const send = vi
      .fn<(a?: PosApproval) => Promise<string>>()
      .mockRejectedValueOnce(required)
      .mockRejectedValueOnce(denied)
      .mockResolvedValueOnce('returned');
    const signIn = vi.fn<SignIn>().mockResolvedValueOnce('token-of-a-cashier').mockResolvedValueOnce('token-of-the-manager');
    renderTill(send, signIn);

    await user.click(screen.getByRole('button', { name: 'go' }));
    const dialog = within(await screen.findByRole('dialog', { name: '店长授权' }));
    expect(dialog.getByText('the refund is above the return limit')).toBeTruthy();
    // Both fields are required before anything is sent.
    await user.click(dialog.getByRole('button', { name: '授 权' }));
    await waitFor(() => expect(document.querySelectorAll('.ant-form-item-has-error')).toHaveLength(2));
    expect(signIn).not.toHaveBeenCalled();

    fireEvent.change(dialog.getByLabelText('店长账号'), { target: { value: 'colleague@demo.test' } });
    fireEvent.change(dialog.getByLabelText('店长密码'), { target: { value: 'secret' } });
    await user.click(dialog.getByRole('button', { name: '授 权' }));
    // The approver lacks pos:refund: the dialog stays, saying why.
    expect(await dialog.findByText('授权未通过：the approver does not hold pos:refund in this store')).toBeTruthy();

    fireEvent.change(dialog.getByLabelText('店长账号'), { target: { value: 'manager@demo.test' } });
    fireEvent.change(dialog.getByLabelText('店长密码'), { target: { value: 'secret' } });
    await user.click(dialog.getByRole('button', { name: '授 权' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('returned'));

    expect(send.mock.calls).toEqual([[], [{ token: 'token-of-a-cashier' }], [{ token: 'token-of-the-manager' }]]);
    expect(signIn.mock.calls).toEqual([
      ['colleague@demo.test', 'secret'],
      ['manager@demo.test', 'secret'],
    ]);
    expect(ended).toEqual(['token-of-a-cashier', 'token-of-the-manager']);
  });

  it('answers the original error when the dialog is cancelled, and passes other errors through untouched', async () => {
    const user = userEvent.setup({ delay: null });
    const send = vi
      .fn<(a?: PosApproval) => Promise<string>>()
      .mockRejectedValueOnce(required)
      .mockRejectedValueOnce(new ApiError({ status: 409, code: 'pos.return_exceeds_sale', title: 'Too much' }));
    const signIn = vi.fn<SignIn>();
    renderTill(send, signIn);

    await user.click(screen.getByRole('button', { name: 'go' }));
    const dialog = within(await screen.findByRole('dialog', { name: '店长授权' }));
    await user.click(dialog.getByRole('button', { name: /取\s*消/ }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('failed: pos.approval_required'));
    expect(send).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: 'go' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('failed: pos.return_exceeds_sale'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(signIn).not.toHaveBeenCalled();
  });
});
