import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem';
import type { CategoryNode, CreateProductInput, Unit } from '../../api/types';
import { formatTaxRate, parseSpecs, taxRateBp } from './catalog-input';
import { ProductForm, toCreateProductInput } from './ProductForm';

const category: CategoryNode = {
  id: 'c-1',
  parent_id: null,
  code: 'DRINK',
  name: '饮料',
  depth: 1,
  sort_order: 0,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  children: [],
};
const units: Unit[] = [
  { id: 'u-ge', code: 'ge', name: '个', kind: 'count', created_at: '2026-01-01T00:00:00Z' },
  { id: 'u-kg', code: 'kg', name: '千克', kind: 'weight', created_at: '2026-01-01T00:00:00Z' },
];

describe('catalog input', () => {
  it('reads tax rates into basis points and back', () => {
    expect(taxRateBp('13')).toBe(1300);
    expect(taxRateBp('6.5')).toBe(650);
    expect(taxRateBp('9%')).toBe(900);
    expect(() => taxRateBp('101')).toThrow();
    expect(() => taxRateBp('1.234')).toThrow();
    expect(formatTaxRate(650)).toBe('6.5');
    expect(formatTaxRate(1300)).toBe('13');
  });

  it('reads specs in the import notation', () => {
    expect(parseSpecs('规格=500ml;口味=原味')).toEqual({ 规格: '500ml', 口味: '原味' });
    expect(parseSpecs('')).toEqual({});
  });

  it('sends yuan as fen without float arithmetic', () => {
    const input = toCreateProductInput({
      code: 'P-1',
      name: '矿泉水',
      category_id: 'c-1',
      unit_id: 'u-ge',
      tax_rate: '13',
      skus: [{ code: 'S-1', barcodes: ['6901234001006'], prices: { list: '0.30', member: '0.1', cost: '' } }],
    });
    expect(input.skus[0]).toEqual({ code: 'S-1', name: '矿泉水', specs: {}, plu: null, barcodes: ['6901234001006'], prices: { list: 30, member: 10, cost: null } });
  });
});

describe('ProductForm', () => {
  it('creates a product with its first SKU and shows a taken barcode under the barcode field', async () => {
    const user = userEvent.setup({ delay: null });
    const onCreate = vi
      .fn<(input: CreateProductInput) => Promise<void>>()
      .mockRejectedValueOnce(new ApiError({ status: 409, code: 'barcodes.taken', title: 'The barcode already names a SKU' }))
      .mockResolvedValueOnce(undefined);
    render(
      <App>
        <ProductForm open onOpenChange={() => undefined} categories={[category]} brands={[]} units={units} onCreate={onCreate} />
      </App>,
    );
    const dialog = within(screen.getByRole('dialog'));
    await user.type(dialog.getByLabelText('商品编码'), 'P-E2E');
    await user.type(dialog.getByLabelText('商品名称'), '测试矿泉水 550ml');
    await user.click(dialog.getByLabelText('分类'));
    await user.click(await screen.findByText('饮料（DRINK）'));
    await user.type(dialog.getByLabelText('SKU 编码'), 'SKU-E2E');
    await user.type(dialog.getByLabelText('条码'), '6901234001006{enter}');
    await user.type(dialog.getByLabelText('零售价'), '2.5');
    await user.type(dialog.getByLabelText('会员价'), '2.255');
    const save = dialog.getByRole('button', { name: /保\s*存/ });
    await user.click(save);
    expect(await dialog.findByText('金额最多保留两位小数')).toBeTruthy();
    expect(onCreate).not.toHaveBeenCalled();

    await user.clear(dialog.getByLabelText('会员价'));
    await user.type(dialog.getByLabelText('会员价'), '2.25');
    await user.click(save);
    await waitFor(() => expect(onCreate).toHaveBeenCalledTimes(1));
    expect(onCreate.mock.calls[0]?.[0]).toEqual({
      code: 'P-E2E',
      name: '测试矿泉水 550ml',
      category_id: 'c-1',
      brand_id: null,
      unit_id: 'u-ge',
      tax_rate_bp: 1300,
      shelf_life_days: null,
      weighed: false,
      description: '',
      skus: [{ code: 'SKU-E2E', name: '测试矿泉水 550ml', specs: {}, plu: null, barcodes: ['6901234001006'], prices: { list: 250, member: 225, cost: null } }],
    });
    expect(await dialog.findByText('条码已属于其他 SKU。')).toBeTruthy();

    await user.click(save);
    await waitFor(() => expect(onCreate).toHaveBeenCalledTimes(2));
  });
});
