import { Form, Input } from 'antd';
import { render, renderHook, screen, act } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { applyFieldErrors, fieldPath } from './form-errors';
import { ApiError } from './problem';

describe('fieldPath', () => {
  it.each([
    ['code', ['code']],
    ['assignments[0].role', ['assignments', 0, 'role']],
    ['lines[2].batches[10].qty', ['lines', 2, 'batches', 10, 'qty']],
    ['address.city', ['address', 'city']],
  ])('%s → %j', (field, path) => {
    expect(fieldPath(field)).toEqual(path);
  });
});

describe('applyFieldErrors', () => {
  const problem = new ApiError({
    status: 422,
    code: 'request.invalid',
    title: 'The request has invalid fields',
    errors: [
      { field: 'code', message: 'is required' },
      { field: 'code', message: 'must be at most 32 characters' },
      { field: 'assignments[0].role', message: 'is not a role of this chain' },
      { field: 'colour', message: 'is not a known field' },
    ],
  });

  it('puts each error under its field and hands back the ones no field shows', async () => {
    const { result } = renderHook(() => Form.useForm());
    const [form] = result.current;
    render(
      <Form form={form}>
        <Form.Item name="code" label="编码">
          <Input />
        </Form.Item>
        <Form.List name="assignments" initialValue={[{ role: 'cashier' }]}>
          {(fields) =>
            fields.map((f) => (
              <Form.Item key={f.key} name={[f.name, 'role']} label="角色">
                <Input />
              </Form.Item>
            ))
          }
        </Form.List>
      </Form>,
    );

    let rest: ReturnType<typeof applyFieldErrors> = [];
    act(() => {
      rest = applyFieldErrors(form, problem);
    });

    expect(rest).toEqual([{ field: 'colour', message: 'is not a known field' }]);
    expect(form.getFieldError('code')).toEqual(['is required', 'must be at most 32 characters']);
    expect(form.getFieldError(['assignments', 0, 'role'])).toEqual(['is not a role of this chain']);
    expect(await screen.findByText('is not a role of this chain')).toBeTruthy();
  });

  it('maps renamed fields', () => {
    const { result } = renderHook(() => Form.useForm());
    const [form] = result.current;
    render(
      <Form form={form}>
        <Form.Item name="storeCode">
          <Input />
        </Form.Item>
      </Form>,
    );
    let rest: ReturnType<typeof applyFieldErrors> = [];
    act(() => {
      rest = applyFieldErrors(form, problem, { code: ['storeCode'] });
    });
    expect(form.getFieldError('storeCode')).toHaveLength(2);
    expect(rest.map((e) => e.field)).toEqual(['assignments[0].role', 'colour']);
  });
});
