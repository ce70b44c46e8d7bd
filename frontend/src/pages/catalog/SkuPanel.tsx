import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, ProFormDateTimePicker, ProFormRadio, ProFormSelect, ProFormText, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Descriptions, Drawer, Form, Input, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../api/idempotency';
import type { PriceVersion, Product, Sku, SetPriceInput } from '../../api/types';
import { useAccess } from '../../app/session';
import { useTimeZone } from '../../app/store-context';
import { CursorTable } from '../../components/CursorTable';
import { ErrorResult } from '../../components/ErrorResult';
import { Money } from '../../components/Money';
import { formSubmitter } from '../../components/form-submitter';
import { useShowError } from '../../components/useShowError';
import { dayjs, formatDateTime } from '../../lib/time';
import { formatSpecs, moneyRule, optionalFen, parseSpecs, specsText } from './catalog-input';
import { SkuFields } from './ProductForm';
import { fetchPriceVersions, useAddBarcode, useAddSku, useCurrentPrice, useRemoveBarcode, useSetPrice, useUpdateSku } from './queries';

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

/** SkuPrices: HQ's prices in force now, a form to set one (now or from a future time), and every version. */
export function SkuPrices({ sku }: { sku: Sku }) {
  const { t } = useTranslation('catalog');
  const { can } = useAccess();
  const timeZone = useTimeZone();
  const { message } = App.useApp();
  const showError = useShowError();
  const current = useCurrentPrice(sku.id);
  const setPrice = useSetPrice(sku.id);
  const idempotency = useIdempotencyKey();
  const [form] = Form.useForm<PriceFormValues>();
  const [version, setVersion] = useState(0);

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

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {current.error ? (
        <ErrorResult error={current.error} onRetry={() => void current.refetch()} />
      ) : !current.data ? (
        <Spin />
      ) : (
        <Descriptions bordered size="small" column={3} title={t('prices.current')} data-testid="current-price">
          <Descriptions.Item label={t('prices.kinds.list')}>{current.data.list === null ? '—' : <Money fen={current.data.list} />}</Descriptions.Item>
          <Descriptions.Item label={t('prices.kinds.member')}>{current.data.member === null ? '—' : <Money fen={current.data.member} />}</Descriptions.Item>
          <Descriptions.Item label={t('prices.kinds.cost')}>{current.data.cost === null ? '—' : <Money fen={current.data.cost} />}</Descriptions.Item>
        </Descriptions>
      )}
      {can('prices.write') && (
        <Form<PriceFormValues>
          form={form}
          layout="inline"
          initialValues={{ kind: 'list' }}
          onFinish={async (v) => {
            try {
              await setPrice.mutateAsync({
                idempotencyKey: idempotency.key(),
                body: { kind: v.kind, amount: optionalFen(v.amount), effective_from: v.effective_from ? v.effective_from.toISOString() : null },
              });
              idempotency.rotate();
              form.resetFields();
              setVersion((n) => n + 1);
              void message.success(v.effective_from ? t('prices.scheduledSaved') : t('prices.saved'));
            } catch (e) {
              showError(e, form);
            }
          }}
        >
          <Typography.Text strong style={{ lineHeight: '32px', marginRight: 8 }}>
            {t('prices.set')}
          </Typography.Text>
          <ProFormRadio.Group
            name="kind"
            radioType="button"
            options={(['list', 'member', 'cost'] as const).map((k) => ({ value: k, label: t(`prices.kinds.${k}`) }))}
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
        </Form>
      )}
      <CursorTable<PriceVersion>
        key={version}
        headerTitle={t('prices.history')}
        search={false}
        options={false}
        columns={columns}
        fetchPage={fetchPriceVersions(sku.id)}
        locale={{ emptyText: t('prices.empty') }}
      />
    </Space>
  );
}
