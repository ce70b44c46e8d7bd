import {
  ModalForm,
  ProFormDependency,
  ProFormDigit,
  ProFormSelect,
  ProFormSwitch,
  ProFormText,
  ProFormTextArea,
  ProFormTreeSelect,
} from '@ant-design/pro-components';
import { Divider, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Brand, CategoryNode, CreateProductInput, Product, Unit, UpdateProductInput } from '../../api/types';
import { asApiError } from '../../api/problem';
import { describeError } from '../../components/describe-error';
import { formSubmitter } from '../../components/form-submitter';
import { useShowError } from '../../components/useShowError';
import { formatTaxRate, moneyRule, optionalFen, parseSpecs, taxRateBp } from './catalog-input';

export interface ProductFormValues {
  code: string;
  name: string;
  category_id: string;
  brand_id?: string;
  unit_id: string;
  tax_rate: string;
  shelf_life_days?: number | null;
  weighed?: boolean;
  description?: string;
  status?: 'active' | 'discontinued';
  /** The first SKU (creating only). */
  skus?: { code: string; name?: string; specs?: string; plu?: string; barcodes?: string[]; prices?: { list?: string; member?: string; cost?: string } }[];
}

/** toCreateProductInput: the form's text as the API's input (fen, basis points, specs). */
export function toCreateProductInput(v: ProductFormValues): CreateProductInput {
  const sku = v.skus?.[0];
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    category_id: v.category_id,
    brand_id: v.brand_id ?? null,
    unit_id: v.unit_id,
    tax_rate_bp: taxRateBp(v.tax_rate),
    shelf_life_days: v.shelf_life_days ?? null,
    weighed: v.weighed ?? false,
    description: v.description?.trim() ?? '',
    skus: sku
      ? [
          {
            code: sku.code.trim(),
            name: sku.name?.trim() || v.name.trim(),
            specs: parseSpecs(sku.specs),
            plu: v.weighed && sku.plu?.trim() ? sku.plu.trim() : null,
            barcodes: (sku.barcodes ?? []).map((b) => b.trim()).filter(Boolean),
            prices: { list: optionalFen(sku.prices?.list), member: optionalFen(sku.prices?.member), cost: optionalFen(sku.prices?.cost) },
          },
        ]
      : [],
  };
}

/** toUpdateProductInput: the changed product's fields (clear_brand when the brand is removed). */
export function toUpdateProductInput(v: ProductFormValues, before: Product): UpdateProductInput {
  const out: UpdateProductInput = {
    code: v.code.trim(),
    name: v.name.trim(),
    category_id: v.category_id,
    unit_id: v.unit_id,
    tax_rate_bp: taxRateBp(v.tax_rate),
    weighed: v.weighed ?? false,
    description: v.description?.trim() ?? '',
    status: v.status ?? before.status,
  };
  if (v.brand_id) out.brand_id = v.brand_id;
  else if (before.brand_id) out.clear_brand = true;
  if (v.shelf_life_days) out.shelf_life_days = v.shelf_life_days;
  return out;
}

const codePattern = /^[A-Za-z0-9_.-]{1,40}$/;

export interface ProductFormProps {
  product?: Product;
  categories: CategoryNode[];
  brands: Brand[];
  units: Unit[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreate?: (input: CreateProductInput) => Promise<void>;
  onUpdate?: (input: UpdateProductInput) => Promise<void>;
}

interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

export const categoryTreeData = (nodes: CategoryNode[]): TreeOption[] =>
  nodes.map((n) => ({ value: n.id, title: `${n.name}（${n.code}）`, children: categoryTreeData(n.children) }));

// Conflicts about one of the first SKU's fields, shown under it.
const skuCodeFields: Record<string, ['skus', 0, 'code' | 'plu' | 'barcodes']> = {
  'skus.code_taken': ['skus', 0, 'code'],
  'skus.plu_taken': ['skus', 0, 'plu'],
  'barcodes.taken': ['skus', 0, 'barcodes'],
};

/** ProductForm creates a product with its first SKU (barcodes, opening prices), or edits a product's own fields. */
export function ProductForm({ product, categories, brands, units, open, onOpenChange, onCreate, onUpdate }: ProductFormProps) {
  const { t } = useTranslation('catalog');
  const [form] = Form.useForm<ProductFormValues>();
  const showError = useShowError();

  const submit = async (v: ProductFormValues) => {
    try {
      if (product) await onUpdate?.(toUpdateProductInput(v, product));
      else await onCreate?.(toCreateProductInput(v));
      return true;
    } catch (e) {
      const field = skuCodeFields[asApiError(e).code];
      if (field && !product) form.setFields([{ name: field, errors: [describeError(t, e)] }]);
      else showError(e, form, { 'products.code_taken': 'code' });
      return false;
    }
  };

  return (
    <ModalForm<ProductFormValues>
      title={product ? t('products.editTitle') : t('products.createTitle')}
      name="product"
      form={form}
      open={open}
      onOpenChange={onOpenChange}
      modalProps={{ destroyOnHidden: true }}
      submitter={formSubmitter(t)}
      width={640}
      layout="horizontal"
      labelCol={{ span: 6 }}
      initialValues={
        product
          ? { ...product, brand_id: product.brand_id ?? undefined, tax_rate: formatTaxRate(product.tax_rate_bp) }
          : { tax_rate: '13', weighed: false, unit_id: (units.find((u) => u.code === 'ge') ?? units.find((u) => u.kind === 'count'))?.id, skus: [{ code: '' }] }
      }
      onFinish={submit}
    >
      <ProFormText name="code" label={t('products.code')} placeholder="P-WATER-550" rules={[{ required: true }, { pattern: codePattern, message: t('products.codeInvalid') }]} />
      <ProFormText name="name" label={t('products.name')} rules={[{ required: true }, { max: 200 }]} />
      <ProFormTreeSelect
        name="category_id"
        label={t('products.category')}
        rules={[{ required: true }]}
        fieldProps={{ treeData: categoryTreeData(categories), showSearch: true, treeNodeFilterProp: 'title', treeDefaultExpandAll: true }}
      />
      <ProFormSelect name="brand_id" label={t('products.brand')} showSearch allowClear options={brands.map((b) => ({ value: b.id, label: b.name }))} />
      <ProFormSelect
        name="unit_id"
        label={t('products.unit')}
        rules={[{ required: true }]}
        options={units.map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }))}
      />
      <ProFormText
        name="tax_rate"
        label={t('products.taxRate')}
        fieldProps={{ suffix: '%' }}
        rules={[
          { required: true },
          {
            validator: async (_: unknown, value: string | undefined) => {
              if (!value) return;
              try {
                taxRateBp(value);
              } catch {
                throw new Error(t('products.taxRateInvalid'));
              }
            },
          },
        ]}
      />
      <ProFormDigit name="shelf_life_days" label={t('products.shelfLife')} min={1} fieldProps={{ precision: 0, suffix: t('products.days') }} />
      <ProFormSwitch name="weighed" label={t('products.weighed')} />
      {product && (
        <ProFormSelect
          name="status"
          label={t('products.status')}
          allowClear={false}
          options={[
            { value: 'active', label: t('products.statuses.active') },
            { value: 'discontinued', label: t('products.statuses.discontinued') },
          ]}
        />
      )}
      <ProFormTextArea name="description" label={t('products.description')} fieldProps={{ rows: 2 }} rules={[{ max: 2000 }]} />
      {!product && (
        <>
          <Divider orientation="left" plain>
            {t('products.firstSku')}
          </Divider>
          <SkuFields />
        </>
      )}
    </ModalForm>
  );
}

/** SkuFields: one SKU's fields under skus[0] (so the API's skus[0].code errors land on them). */
export function SkuFields({ prefix = ['skus', 0], weighed }: { prefix?: (string | number)[]; weighed?: boolean }) {
  const { t } = useTranslation('catalog');
  const plu = <ProFormText name={[...prefix, 'plu']} label={t('skus.plu')} rules={[{ pattern: /^[0-9]{1,6}$/, message: t('skus.pluInvalid') }]} />;
  return (
    <>
      <ProFormText name={[...prefix, 'code']} label={t('skus.code')} rules={[{ required: true }, { pattern: codePattern, message: t('products.codeInvalid') }]} />
      <ProFormText name={[...prefix, 'name']} label={t('skus.name')} placeholder={t('skus.nameHint')} rules={[{ max: 200 }]} />
      <ProFormText name={[...prefix, 'specs']} label={t('skus.specs')} placeholder="规格=550ml;口味=原味" />
      <ProFormSelect
        name={[...prefix, 'barcodes']}
        label={t('skus.barcodes')}
        mode="tags"
        placeholder={t('skus.barcodesHint')}
        fieldProps={{ tokenSeparators: [',', ' ', ';'], open: false, suffixIcon: null }}
      />
      {weighed === undefined ? <ProFormDependency name={['weighed']}>{(v) => v.weighed && plu}</ProFormDependency> : weighed && plu}
      <PriceFields prefix={prefix} />
    </>
  );
}

function PriceFields({ prefix }: { prefix: (string | number)[] }) {
  const { t } = useTranslation('catalog');
  return (
    <>
      <ProFormText name={[...prefix, 'prices', 'list']} label={t('prices.kinds.list')} fieldProps={{ prefix: '¥' }} rules={[moneyRule(t)]} />
      <ProFormText name={[...prefix, 'prices', 'member']} label={t('prices.kinds.member')} fieldProps={{ prefix: '¥' }} rules={[moneyRule(t)]} />
      <ProFormText name={[...prefix, 'prices', 'cost']} label={t('prices.kinds.cost')} fieldProps={{ prefix: '¥' }} rules={[moneyRule(t)]} />
    </>
  );
}
