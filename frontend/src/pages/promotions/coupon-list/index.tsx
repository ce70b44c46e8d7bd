import { PageContainer, ProCard, ProDescriptions, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Input, Popconfirm, Space } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Coupon } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { CouponState } from '../CouponState';
import { fetchCoupons, useLookupCoupon, useVoidCoupon } from '../queries';

function VoidButton({ c, onDone }: { c: Coupon; onDone: () => void }) {
  const { t } = useTranslation('promotions');
  const { message } = App.useApp();
  const showError = useShowError();
  const voidCoupon = useVoidCoupon();
  if (c.state === 'used' || c.state === 'void') return null;
  return (
    <Popconfirm
      title={t('coupons.voidConfirm', { code: c.code })}
      onConfirm={async () => {
        try {
          await voidCoupon.mutateAsync(c.code);
          void message.success(t('coupons.voided'));
          onDone();
        } catch (e) {
          showError(e);
        }
      }}
    >
      <a>{t('coupons.void')}</a>
    </Popconfirm>
  );
}

export default function CouponListPage() {
  const { t } = useTranslation('promotions');
  const { can } = useAccess();
  const zone = useTimeZone();
  const tableRef = useRef<ActionType>();
  const [code, setCode] = useState('');
  const found = useLookupCoupon(code);

  const columns: ProColumns<Coupon>[] = [
    { title: t('coupons.code'), dataIndex: 'code', search: false, copyable: true },
    { title: t('coupons.batch'), dataIndex: 'batch_name', search: false, render: (_, c) => <Link to={`/coupon-batches/${c.batch_id}`}>{c.batch_name}</Link> },
    {
      title: t('coupons.state'),
      dataIndex: 'state',
      valueType: 'select',
      valueEnum: Object.fromEntries((['available', 'not_started', 'used', 'expired', 'void'] as const).map((s) => [s, { text: t(`couponStates.${s}`) }])),
      render: (_, c) => <CouponState state={c.state} />,
    },
    { title: t('coupons.member'), dataIndex: 'member_id', fieldProps: { placeholder: t('coupons.memberHint') }, render: (_, c) => c.member_id ?? '—' },
    { title: t('coupons.issuedAt'), dataIndex: 'issued_at', search: false, render: (_, c) => formatDateTime(c.issued_at, zone) },
    { title: t('coupons.validUntil'), dataIndex: 'valid_until', search: false, render: (_, c) => formatDateTime(c.valid_until, zone) },
    {
      title: t('common:actions.more'),
      valueType: 'option',
      hideInTable: !can('coupons.write'),
      render: (_, c) => <VoidButton c={c} onDone={() => void tableRef.current?.reload()} />,
    },
  ];

  return (
    <PageContainer title={t('coupons.title')} subTitle={t('coupons.subtitle')}>
      <ProCard bordered title={t('coupons.lookup')} style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('coupons.code')}
          placeholder={t('coupons.codeHint')}
          enterButton={t('coupons.find')}
          allowClear
          style={{ maxWidth: 420 }}
          onSearch={(v) => setCode(v.trim())}
        />
        {code !== '' && found.error && <ErrorResult error={found.error} />}
        {found.data && (
          <ProDescriptions column={{ xs: 1, md: 2 }} bordered size="small" style={{ marginTop: 16 }}>
            <ProDescriptions.Item label={t('coupons.code')}>{found.data.code}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('coupons.state')}>
              <Space>
                <CouponState state={found.data.state} />
                {can('coupons.write') && <VoidButton c={found.data} onDone={() => void found.refetch()} />}
              </Space>
            </ProDescriptions.Item>
            <ProDescriptions.Item label={t('coupons.batch')}>
              <Link to={`/coupon-batches/${found.data.batch_id}`}>{found.data.batch_name}</Link>
            </ProDescriptions.Item>
            <ProDescriptions.Item label={t('coupons.member')}>{found.data.member_id ?? '—'}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('coupons.validFrom')}>{formatDateTime(found.data.valid_from, zone)}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('coupons.validUntil')}>{formatDateTime(found.data.valid_until, zone)}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('coupons.redeemedAt')}>{formatDateTime(found.data.redeemed_at, zone) || '—'}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('coupons.voidedAt')}>{formatDateTime(found.data.voided_at, zone) || '—'}</ProDescriptions.Item>
          </ProDescriptions>
        )}
        {code !== '' && found.isLoading && <Button loading type="text" />}
      </ProCard>
      <CursorTable<Coupon> actionRef={tableRef} headerTitle={t('coupons.title')} columns={columns} fetchPage={fetchCoupons} locale={{ emptyText: t('coupons.empty') }} />
    </PageContainer>
  );
}
