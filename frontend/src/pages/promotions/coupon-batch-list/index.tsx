import { PlusOutlined } from '@ant-design/icons';
import {
  ModalForm,
  PageContainer,
  ProFormDateTimePicker,
  ProFormDependency,
  ProFormDigit,
  ProFormRadio,
  ProFormSelect,
  ProFormText,
  type ActionType,
  type ProColumns,
} from '@ant-design/pro-components';
import { App, Button, Form } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { CouponBatch } from '../../../api/types';
import { Access, useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { formSubmitter } from '../../../components/form-submitter';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { formatDate } from '../../../lib/time';
import { toBatchInput, type BatchFormValues } from '../coupon-form';
import { fetchBatches, useCreateBatch } from '../queries';
import { moneyRule, percentRule } from '../rule-form';
import { usePromotionPickers } from '../usePickers';

export default function CouponBatchListPage() {
  const { t } = useTranslation('promotions');
  const { can } = useAccess();
  const zone = useTimeZone();
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const tableRef = useRef<ActionType>();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<BatchFormValues>();
  const idempotency = useIdempotencyKey();
  const create = useCreateBatch();
  const pickers = usePromotionPickers();

  const columns: ProColumns<CouponBatch>[] = [
    { title: t('batches.name'), dataIndex: 'name', search: false, render: (_, b) => <Link to={`/coupon-batches/${b.id}`}>{b.name}</Link> },
    { title: t('batches.kind'), dataIndex: 'kind', search: false, render: (_, b) => t(`couponKinds.${b.kind}`) },
    {
      title: t('batches.issueMode'),
      dataIndex: 'issue_mode',
      valueType: 'select',
      valueEnum: Object.fromEntries((['member', 'campaign', 'printed'] as const).map((m) => [m, { text: t(`issueModes.${m}`) }])),
    },
    { title: t('batches.quantity'), dataIndex: 'quantity', search: false, align: 'right' },
    { title: t('batches.issued'), dataIndex: ['counts', 'issued'], search: false, align: 'right' },
    { title: t('batches.redeemed'), dataIndex: ['counts', 'redeemed'], search: false, align: 'right' },
    { title: t('batches.discount'), dataIndex: ['counts', 'discount'], search: false, align: 'right', render: (_, b) => <Money fen={b.counts.discount} /> },
    {
      title: t('batches.validity'),
      dataIndex: 'valid_days',
      search: false,
      render: (_, b) => (b.valid_days ? t('batches.validDays', { days: b.valid_days }) : `${formatDate(b.valid_from, zone) || '…'} – ${formatDate(b.valid_until, zone) || '…'}`),
    },
  ];

  return (
    <PageContainer title={t('batches.title')} subTitle={t('batches.subtitle')}>
      <CursorTable<CouponBatch>
        actionRef={tableRef}
        headerTitle={t('batches.title')}
        columns={columns}
        fetchPage={fetchBatches}
        onRow={(b) => ({ onDoubleClick: () => navigate(`/coupon-batches/${b.id}`) })}
        locale={{ emptyText: t('batches.empty') }}
        toolBarRender={() => [
          <Access key="create" to="coupons.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('batches.create')}
            </Button>
          </Access>,
        ]}
      />
      {can('coupons.write') && (
        <ModalForm<BatchFormValues>
          title={t('batches.createTitle')}
          form={form}
          open={creating}
          onOpenChange={setCreating}
          modalProps={{ destroyOnHidden: true }}
          submitter={formSubmitter(t)}
          width={620}
          layout="horizontal"
          labelCol={{ span: 6 }}
          initialValues={{ kind: 'coupon_amount', issue_mode: 'member', validity: 'days', valid_days: 30, quantity: 1000, store_scope: 'all' }}
          onFinish={async (v) => {
            try {
              const b = await create.mutateAsync({ body: toBatchInput(v), idempotencyKey: idempotency.key() });
              idempotency.rotate();
              void message.success(t('batches.created', { name: b.name }));
              void tableRef.current?.reload();
              return true;
            } catch (e) {
              showError(e, form);
              return false;
            }
          }}
        >
          <ProFormText name="name" label={t('batches.name')} rules={[{ required: true }, { max: 100 }]} />
          <ProFormText name="name_en" label={t('form.nameEn')} rules={[{ max: 100 }]} />
          <ProFormRadio.Group
            name="kind"
            label={t('batches.kind')}
            radioType="button"
            options={(['coupon_amount', 'coupon_percent'] as const).map((k) => ({ value: k, label: t(`couponKinds.${k}`) }))}
          />
          <ProFormDependency name={['kind']}>
            {({ kind }) =>
              kind === 'coupon_amount' ? (
                <>
                  <ProFormText name="amount" label={t('batches.amount')} fieldProps={{ prefix: '¥' }} rules={[{ required: true }, moneyRule(t)]} />
                  <ProFormText name="threshold" label={t('batches.threshold')} fieldProps={{ prefix: '¥' }} rules={[moneyRule(t)]} extra={t('batches.thresholdHint')} />
                </>
              ) : (
                <>
                  <ProFormText name="off_percent" label={t('form.offPercent')} fieldProps={{ suffix: '%' }} rules={[{ required: true }, percentRule(t)]} />
                  <ProFormText name="max_off" label={t('form.maxOff')} fieldProps={{ prefix: '¥' }} rules={[moneyRule(t)]} />
                  <ProFormText name="threshold" label={t('batches.threshold')} fieldProps={{ prefix: '¥' }} rules={[moneyRule(t)]} />
                </>
              )
            }
          </ProFormDependency>
          <ProFormRadio.Group
            name="issue_mode"
            label={t('batches.issueMode')}
            options={(['member', 'campaign', 'printed'] as const).map((m) => ({ value: m, label: t(`issueModes.${m}`) }))}
          />
          <ProFormDigit name="quantity" label={t('batches.quantity')} min={1} max={1000000} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
          <ProFormRadio.Group
            name="validity"
            label={t('batches.validity')}
            options={[
              { value: 'days', label: t('batches.byDays') },
              { value: 'fixed', label: t('batches.fixed') },
            ]}
          />
          <ProFormDependency name={['validity']}>
            {({ validity }) =>
              validity === 'days' ? (
                <ProFormDigit name="valid_days" label={t('batches.validDaysLabel')} min={1} max={3660} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
              ) : (
                <>
                  <ProFormDateTimePicker name="valid_from" label={t('batches.validFrom')} />
                  <ProFormDateTimePicker name="valid_until" label={t('batches.validUntil')} rules={[{ required: true }]} />
                </>
              )
            }
          </ProFormDependency>
          <ProFormRadio.Group
            name="store_scope"
            label={t('form.storeScope')}
            radioType="button"
            options={(['all', 'direct', 'franchise', 'list'] as const).map((s) => ({ value: s, label: t(`scopes.${s}`) }))}
          />
          <ProFormDependency name={['store_scope']}>
            {({ store_scope }) =>
              store_scope === 'list' && <ProFormSelect name="store_ids" label={t('form.stores')} mode="multiple" options={pickers.stores} rules={[{ required: true }]} />
            }
          </ProFormDependency>
          <ProFormSelect name="categories" label={t('form.categories')} mode="multiple" options={pickers.categories} />
          <ProFormSelect name="brands" label={t('form.brands')} mode="multiple" options={pickers.brands} />
        </ModalForm>
      )}
    </PageContainer>
  );
}
