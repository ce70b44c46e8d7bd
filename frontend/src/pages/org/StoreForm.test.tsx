import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import type { CreateStoreInput, Franchisee } from '../../api/types';
import { StoreForm } from './StoreForm';

const franchisee = (id: string, name: string, status: Franchisee['status']): Franchisee => ({
  id,
  name,
  status,
  legal_name: '',
  contact_name: '',
  contact_phone: '',
  contact_email: '',
  store_count: 0,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
});

function renderForm(onSubmit: (input: CreateStoreInput) => Promise<void>) {
  render(
    <App>
      <StoreForm
        open
        onOpenChange={() => undefined}
        chainTimeZone="Asia/Shanghai"
        franchisees={[franchisee('f-1', '杭州加盟商', 'active'), franchisee('f-2', '已解约商', 'terminated')]}
        onSubmit={onSubmit}
      />
    </App>,
  );
  return within(screen.getByRole('dialog'));
}

describe('StoreForm', () => {
  it('asks a franchise store for its franchisee, sends the input, and shows the API field errors on their fields', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi
      .fn<(input: CreateStoreInput) => Promise<void>>()
      .mockRejectedValueOnce(new ApiError({ status: 409, code: 'stores.code_taken', title: 'Store code taken' }))
      .mockRejectedValueOnce(
        new ApiError({
          status: 422,
          code: 'request.invalid',
          title: 'The request has invalid fields',
          errors: [
            { field: 'name', message: 'must be printable text' },
            { field: 'phone', message: 'is too long' },
          ],
        }),
      )
      .mockResolvedValueOnce(undefined);
    const dialog = renderForm(onSubmit);

    await user.type(dialog.getByLabelText('门店编码'), 'HZ-009');
    await user.type(dialog.getByLabelText('门店名称'), '西湖店');
    await user.click(dialog.getByText('加盟'));
    const submit = dialog.getByRole('button', { name: /保\s*存/ });
    await user.click(submit);
    expect(await dialog.findByText('加盟门店须选择加盟商')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    // Only active franchisees are offered.
    await user.click(dialog.getByLabelText('加盟商'));
    expect(screen.queryByText('已解约商')).toBeNull();
    await user.click(await screen.findByText('杭州加盟商'));
    await user.click(submit);

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      code: 'HZ-009',
      name: '西湖店',
      type: 'franchise',
      franchisee_id: 'f-1',
      address: '',
      phone: '',
      time_zone: 'Asia/Shanghai',
      opened_at: null,
    });
    // A problem about one field lands under it, in the console's words.
    expect(await dialog.findByText('门店编码已被其他门店使用。')).toBeTruthy();

    await user.click(submit);
    expect(await dialog.findByText('must be printable text')).toBeTruthy();
    expect(dialog.getByText('is too long')).toBeTruthy();

    await user.click(submit);
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(3));
  });

  it('sends no franchisee for a direct store', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn<(input: CreateStoreInput) => Promise<void>>().mockResolvedValue(undefined);
    const dialog = renderForm(onSubmit);
    await user.type(dialog.getByLabelText('门店编码'), 'SH-002');
    await user.type(dialog.getByLabelText('门店名称'), '静安店');
    await user.click(dialog.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({ type: 'direct', franchisee_id: null });
  });

  it('refuses a code the API would refuse before sending it', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn<(input: CreateStoreInput) => Promise<void>>();
    const dialog = renderForm(onSubmit);
    await user.type(dialog.getByLabelText('门店编码'), '上海 1');
    await user.type(dialog.getByLabelText('门店名称'), '静安店');
    await user.click(dialog.getByRole('button', { name: /保\s*存/ }));
    expect(await dialog.findByText('1–32 位字母、数字、下划线或连字符')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
