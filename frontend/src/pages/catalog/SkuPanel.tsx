import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProFormDateTimePicker, ProFormRadio, ProFormSelect, ProFormText, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Descriptions, Drawer, Form, Input, Popconfirm, Radio, Space, Spin, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../api/idempotency';
import type { Price, PriceVersion, Product, Sku, SetPriceInput } from '../../api/types';
import { useAccess } from '../../app/session';
import { useTimeZone } from '../../app/store-context';
import { CursorTable } from '../../components/CursorTable';
import { ErrorResult } from '../../components/ErrorResult';
import { Money } from '../../components/Money';
import { StorePicker } from '../../components/StorePicker';
import { formSubmitter } from '../../components/form-submitter';
import { useShowError } from '../../components/useShowError';
import { dayjs, formatDateTime } from '../../lib/time';
import { formatSpecs, moneyRule, optionalFen, parseSpecs, specsText } from './catalog-input';
import { SkuFields } from './ProductForm';
import { fetchPriceVersions, useAddBarcode, useAddSku, useCurrentPrice, usePriceBounds, useRemoveBarcode, useSetPrice, useSetPriceBounds, useUpdateSku } from './queries';

/** SkuPanel: a product's SKUs with their barcodes (add, remove), an edit form and the prices drawer. */
export function SkuPanel({ product }: { product: Product }) {
  const { t } = useTranslation('catalog');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const addBarcode = useAddBarcode();
  const removeBarcode = useRemoveBarcode();
  const addSku = useAddSku(product.id);
  const updateSku = useUpdateSku();
  const idempotency = useIdempotencyKey();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Sku>();
  const [pricing, setPricing] = useState<Sku>();
  const [newBarcode, setNewBarcode] = useState<Record<string, string>>({});
  const [addForm] = Form.useForm();
  const [editForm] = Form.useForm();
  const write = can('catalog.write');

  const add = async (sku: Sku) => {
    const barcode = (newBarcode[sku.id] ?? '').trim();
    if (!barcode) return;
    try {
      await addBarcode.mutateAsync({ skuId: sku.id, barcode });
      setNewBarcode((b) => ({ ...b, [sku.id]: '' }));
      void message.success(t('skus.barcodeAdded', { barcode }));
    } catch (e) {
      showError(e);
    }
  };

  const columns: ProColumns<Sku>[] = [
    { title: t('skus.code'), dataIndex: 'code', width: 140 },
    { title: t('skus.name'), dataIndex: 'name', ellipsis: true },
    { title: t('skus.specs'), dataIndex: 'specs', render: (_, s) => specsText(s.specs) || '—' },
    {
      title: t('skus.barcodes'),
      dataIndex: 'barcodes',
      render: (_, s) => (
        <Space size={[4, 4]} wrap data-testid={`barcodes-${s.code}`}>
          {s.barcodes.map((b) =>
            write ? (
              <Popconfirm
                key={b.barcode}
                title={t('skus.removeBarcodeConfirm', { barcode: b.barcode })}
                onConfirm={async () => {
                  try {
                    await removeBarcode.mutateAsync({ skuId: s.id, barcode: b.barcode });
                  } catch (e) {
                    showError(e);
                  }
                }}
              >
                <Tag closable onClose={(e) => e.preventDefault()} style={{ cursor: 'pointer' }}>
                  {b.barcode}
                </Tag>
              </Popconfirm>
            ) : (
              <Tag key={b.barcode}>{b.barcode}</Tag>
            ),
          )}
          {write && (
            <Space.Compact size="small">
              <Input
                size="small"
                style={{ width: 150 }}
                aria-label={t('skus.addBarcode')}
                placeholder={t('skus.addBarcode')}
                value={newBarcode[s.id] ?? ''}
                onChange={(e) => setNewBarcode((b) => ({ ...b, [s.id]: e.target.value }))}
                onPressEnter={() => void add(s)}
              />
              <Button size="small" icon={<PlusOutlined />} onClick={() => void add(s)} loading={addBarcode.isPending} aria-label={t('skus.addBarcode')} />
            </Space.Compact>
          )}
        </Space>
      ),
    },
    { title: t('skus.plu'), dataIndex: 'plu', render: (_, s) => s.plu ?? '—' },
    {
      title: t('skus.status'),
      dataIndex: 'status',
      render: (_, s) => <Tag color={s.status === 'active' ? 'green' : 'default'}>{t(`products.statuses.${s.status}`)}</Tag>,
    },
    {
      title: t('common:actions.more'),
      valueType: 'option',
      render: (_, s) => [
        <a key="prices" onClick={() => setPricing(s)}>
          {t('prices.title')}
        </a>,
        write && (
          <a key="edit" onClick={() => setEditing(s)}>
            {t('common:actions.edit')}
          </a>
        ),
      ],
    },
  ];

  return (
    <>
      <ProTable<Sku>
        rowKey="id"
        headerTitle={t('skus.title')}
        search={false}
        options={false}
        pagination={false}
        columns={columns}
        dataSource={product.skus}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('skus.empty') }}
        toolBarRender={() =>
          write
            ? [
                <Button key="add" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                  {t('skus.add')}
                </Button>,
              ]
            : []
        }
      />
      <ModalForm
        title={t('skus.add')}
        name="sku-add"
        form={addForm}
        open={adding}
        onOpenChange={setAdding}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        width={600}
        layout="horizontal"
        labelCol={{ span: 6 }}
        onFinish={async (v: { code: string; name?: string; specs?: string; plu?: string; barcodes?: string[]; prices?: { list?: string; member?: string; cost?: string } }) => {
          try {
            await addSku.mutateAsync({
              idempotencyKey: idempotency.key(),
              body: {
                code: v.code.trim(),
                name: v.name?.trim() || product.name,
                specs: parseSpecs(v.specs),
                plu: product.weighed && v.plu ? v.plu : null,
                barcodes: v.barcodes ?? [],
                prices: { list: optionalFen(v.prices?.list), member: optionalFen(v.prices?.member), cost: optionalFen(v.prices?.cost) },
              },
            });
            idempotency.rotate();
            void message.success(t('common:state.created'));
            return true;
          } catch (e) {
            showError(e, addForm, { 'skus.code_taken': 'code', 'skus.plu_taken': 'plu', 'barcodes.taken': 'barcodes' });
            return false;
          }
        }}
      >
        <SkuFields prefix={[]} weighed={product.weighed} />
      </ModalForm>
      <ModalForm
        title={t('skus.editTitle')}
        name="sku-edit"
        form={editForm}
        open={!!editing}
        onOpenChange={(open) => !open && setEditing(undefined)}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        width={560}
        layout="horizontal"
        labelCol={{ span: 6 }}
        initialValues={editing && { name: editing.name, specs: formatSpecs(editing.specs), status: editing.status, plu: editing.plu ?? '' }}
        onFinish={async (v: { name: string; specs?: string; status: Sku['status']; plu?: string }) => {
          if (!editing) return false;
          try {
            await updateSku.mutateAsync({
              id: editing.id,
              body: {
                name: v.name.trim(),
                specs: parseSpecs(v.specs),
                status: v.status,
                ...(product.weighed ? (v.plu ? { plu: v.plu } : { clear_plu: true }) : {}),
              },
            });
            void message.success(t('common:state.saved'));
            return true;
          } catch (e) {
            showError(e, editForm, { 'skus.plu_taken': 'plu' });
            return false;
          }
        }}
      >
        <ProFormText name="name" label={t('skus.name')} rules={[{ required: true }, { max: 200 }]} />
        <ProFormText name="specs" label={t('skus.specs')} placeholder="规格=550ml;口味=原味" />
        {product.weighed && <ProFormText name="plu" label={t('skus.plu')} rules={[{ pattern: /^[0-9]{1,6}$/, message: t('skus.pluInvalid') }]} />}
        <ProFormSelect
          name="status"
          label={t('skus.status')}
          allowClear={false}
          options={[
            { value: 'active', label: t('products.statuses.active') },
            { value: 'discontinued', label: t('products.statuses.discontinued') },
          ]}
        />
      </ModalForm>
      <Drawer
        title={pricing && t('prices.drawerTitle', { code: pricing.code, name: pricing.name })}
        open={!!pricing}
        onClose={() => setPricing(undefined)}
        width={720}
        destroyOnHidden
      >
        {pricing && <SkuPrices sku={pricing} />}
      </Drawer>
    </>
  );
}

interface PriceFormValues {
  kind: SetPriceInput['kind'];
  amount: string;
  effective_from?: Dayjs;
}

/** SkuPrices: the prices in force now — HQ's, or a store's with its overrides — a form to set one (now or from a future time), every version, and HQ's bounds for store prices. */
export function SkuPrices({ sku }: { sku: Sku }) {
  const { t } = useTranslation('catalog');
  const { can } = useAccess();
  const timeZone = useTimeZone();
  const { message } = App.useApp();
  const showError = useShowError();
  // null: HQ's price list; a store: its prices in force (its overrides, else HQ's).
  const [storeId, setStoreId] = useState<string | null>(null);
  const current = useCurrentPrice(sku.id, storeId ?? undefined);
  const setPrice = useSetPrice(sku.id);
  const idempotency = useIdempotencyKey();
  const [form] = Form.useForm<PriceFormValues>();
  const [version, setVersion] = useState(0);
  const writable = storeId ? can('prices.store') : can('prices.write');

  const save = async (body: SetPriceInput, done: string) => {
    try {
      await setPrice.mutateAsync({ idempotencyKey: idempotency.key(), body });
      idempotency.rotate();
      form.resetFields();
      setVersion((n) => n + 1);
      void message.success(done);
    } catch (e) {
      showError(e, form, { 'prices.out_of_bounds': 'amount' });
    }
  };

  const columns: ProColumns<PriceVersion>[] = [
    { title: t('prices.kind'), dataIndex: 'kind', render: (_, v) => t(`prices.kinds.${v.kind}`) },
    { title: t('prices.amount'), dataIndex: 'amount', align: 'right', render: (_, v) => (v.amount === null ? t('prices.endsOverride') : <Money fen={v.amount} />) },
    { title: t('prices.effectiveFrom'), dataIndex: 'effective_from', render: (_, v) => formatDateTime(v.effective_from, timeZone) },
    {
      title: t('prices.state'),
      dataIndex: 'id',
      render: (_, v) =>
        dayjs(v.effective_from).isAfter(dayjs()) ? <Tag color="orange">{t('prices.scheduled')}</Tag> : <Tag>{t('prices.effective')}</Tag>,
    },
    { title: t('prices.scope'), dataIndex: 'store_id', render: (_, v) => (v.store_id ? t('prices.storeOverride') : t('prices.hq')) },
    { title: t('prices.createdAt'), dataIndex: 'created_at', render: (_, v) => formatDateTime(v.created_at, timeZone) },
  ];
  const source = (s: Price['list_source']) => (s === 'store' ? <Tag color="blue">{t('prices.storeOverride')}</Tag> : s === 'hq' ? <Tag>{t('prices.hq')}</Tag> : null);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text strong>{t('prices.scopeOf')}</Typography.Text>
        <Radio.Group
          optionType="button"
          value={storeId ? 'store' : 'hq'}
          onChange={(e) => (e.target.value === 'hq' ? setStoreId(null) : undefined)}
          options={[{ value: 'hq', label: t('prices.hq') }, { value: 'store', label: t('prices.inStore'), disabled: !storeId }]}
        />
        <StorePicker value={storeId} onChange={setStoreId} aria-label={t('prices.pickStore')} />
      </Space>
      {current.error ? (
        <ErrorResult error={current.error} onRetry={() => void current.refetch()} />
      ) : !current.data ? (
        <Spin />
      ) : (
        <Descriptions bordered size="small" column={3} title={storeId ? t('prices.currentInStore') : t('prices.current')} data-testid="current-price">
          <Descriptions.Item label={t('prices.kinds.list')}>
            {current.data.list === null ? '—' : <Money fen={current.data.list} />} {storeId && source(current.data.list_source)}
          </Descriptions.Item>
          <Descriptions.Item label={t('prices.kinds.member')}>
            {current.data.member === null ? '—' : <Money fen={current.data.member} />} {storeId && source(current.data.member_source)}
          </Descriptions.Item>
          <Descriptions.Item label={t('prices.kinds.cost')}>{current.data.cost === null ? '—' : <Money fen={current.data.cost} />}</Descriptions.Item>
        </Descriptions>
      )}
      {writable && (
        <Form<PriceFormValues>
          form={form}
          layout="inline"
          initialValues={{ kind: 'list' }}
          onFinish={(v) =>
            save(
              { kind: v.kind, amount: optionalFen(v.amount), store_id: storeId, effective_from: v.effective_from ? v.effective_from.toISOString() : null },
              v.effective_from ? t('prices.scheduledSaved') : t('prices.saved'),
            )
          }
        >
          <Typography.Text strong style={{ lineHeight: '32px', marginRight: 8 }}>
            {storeId ? t('prices.setInStore') : t('prices.set')}
          </Typography.Text>
          <ProFormRadio.Group
            name="kind"
            radioType="button"
            // A store overrides its list and member prices; the cost is HQ's.
            options={(storeId ? (['list', 'member'] as const) : (['list', 'member', 'cost'] as const)).map((k) => ({ value: k, label: t(`prices.kinds.${k}`) }))}
          />
          <ProFormText name="amount" placeholder={t('prices.amount')} fieldProps={{ prefix: '¥', style: { width: 120 } }} rules={[moneyRule(t, true)]} />
          <ProFormDateTimePicker
            name="effective_from"
            placeholder={t('prices.effectiveFromHint')}
            fieldProps={{ format: 'YYYY-MM-DD HH:mm', showTime: { format: 'HH:mm' }, disabledDate: (d: Dayjs) => d.isBefore(dayjs(), 'day') }}
          />
          <Button type="primary" htmlType="submit" loading={setPrice.isPending}>
            {t('common:actions.save')}
          </Button>
          {storeId && (
            <Popconfirm
              title={t('prices.endConfirm')}
              onConfirm={() => save({ kind: form.getFieldValue('kind') as SetPriceInput['kind'], amount: null, store_id: storeId }, t('prices.ended'))}
            >
              <Button>{t('prices.endsOverride')}</Button>
            </Popconfirm>
          )}
        </Form>
      )}
      <PriceBoundsCard sku={sku} />
      <CursorTable<PriceVersion>
        key={`${version}-${storeId ?? 'hq'}`}
        headerTitle={t('prices.history')}
        search={false}
        options={false}
        columns={columns}
        fetchPage={fetchPriceVersions(sku.id, storeId ?? undefined)}
        locale={{ emptyText: t('prices.empty') }}
      />
    </Space>
  );
}

interface BoundsValues {
  min_amount: string;
  max_amount: string;
}

/** PriceBoundsCard: the range HQ allows franchise stores' own prices of this SKU, and (with prices:write for the chain) a form to set it. */
export function PriceBoundsCard({ sku }: { sku: Sku }) {
  const { t } = useTranslation('catalog');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const bounds = usePriceBounds(sku.id);
  const setBounds = useSetPriceBounds(sku.id);
  const [form] = Form.useForm<BoundsValues>();
  if (bounds.error) return <ErrorResult error={bounds.error} onRetry={() => void bounds.refetch()} />;
  if (bounds.data === undefined) return <Spin />;
  const b = bounds.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="price-bounds">
      <Typography.Text strong>{t('bounds.title')}</Typography.Text>
      <Typography.Text type="secondary">
        {b ? (
          <>
            {t('bounds.range')} <Money fen={b.min_amount} /> – <Money fen={b.max_amount} />
          </>
        ) : (
          t('bounds.notSet')
        )}
      </Typography.Text>
      {can('prices.write') && (
        <Form<BoundsValues>
          form={form}
          layout="inline"
          onFinish={async (v) => {
            const min = optionalFen(v.min_amount) ?? 0;
            const max = optionalFen(v.max_amount) ?? 0;
            if (min > max) {
              form.setFields([{ name: 'max_amount', errors: [t('bounds.maxBelowMin')] }]);
              return;
            }
            try {
              await setBounds.mutateAsync({ min_amount: min, max_amount: max });
              form.resetFields();
              void message.success(t('bounds.saved'));
            } catch (e) {
              showError(e, form);
            }
          }}
        >
          <ProFormText name="min_amount" placeholder={t('bounds.min')} fieldProps={{ prefix: '¥', style: { width: 120 }, 'aria-label': t('bounds.min') }} rules={[moneyRule(t, true)]} />
          <ProFormText name="max_amount" placeholder={t('bounds.max')} fieldProps={{ prefix: '¥', style: { width: 120 }, 'aria-label': t('bounds.max') }} rules={[moneyRule(t, true)]} />
          <Button htmlType="submit" loading={setBounds.isPending}>
            {t('bounds.set')}
          </Button>
        </Form>
      )}
    </Space>
  );
}
