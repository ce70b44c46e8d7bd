import { ModalForm, PageContainer, ProCard, ProDescriptions, ProFormDigit, ProFormTextArea, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Space, Spin, Statistic } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { Coupon } from '../../../api/types';
import { useAccess, useSession } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { formatMoney } from '../../../lib/money';
import { formatDate, formatDateTime } from '../../../lib/time';
import { CouponState } from '../CouponState';
import { downloadCodes, fetchCoupons, useBatch, useGenerateCodes, useIssueCoupons } from '../queries';
import { formatBpPercent } from '../rule-form';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** memberIds: the ids pasted one per line (or separated by commas or spaces). */
export const memberIds = (text: string) => [...new Set(text.split(/[\s,，]+/).filter(Boolean))];

export default function CouponBatchDetailPage() {
  const { t } = useTranslation('promotions');
  const { id = '' } = useParams();
  const { me } = useSession();
  const { can } = useAccess();
  const zone = useTimeZone();
  const { message } = App.useApp();
  const showError = useShowError();
  const batch = useBatch(id);
  const issue = useIssueCoupons(id);
  const generate = useGenerateCodes(id);
  const issueKey = useIdempotencyKey();
  const codesKey = useIdempotencyKey();
  const tableRef = useRef<ActionType>();
  const [issuing, setIssuing] = useState(false);
  const [generating, setGenerating] = useState(false);
  const [exporting, setExporting] = useState(false);

  if (batch.error) return <ErrorResult error={batch.error} onRetry={() => void batch.refetch()} />;
  if (!batch.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const b = batch.data;
  const money = (fen: number | undefined) => formatMoney(fen ?? 0, me.tenant.currency);

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setExporting(true);
    try {
      await downloadCodes(id, format);
    } catch (e) {
      showError(e);
    } finally {
      setExporting(false);
    }
  };

  const columns: ProColumns<Coupon>[] = [
    { title: t('coupons.code'), dataIndex: 'code', search: false, copyable: true },
    {
      title: t('coupons.state'),
      dataIndex: 'state',
      valueType: 'select',
      valueEnum: Object.fromEntries((['available', 'not_started', 'used', 'expired', 'void'] as const).map((s) => [s, { text: t(`couponStates.${s}`) }])),
      render: (_, c) => <CouponState state={c.state} />,
    },
    { title: t('coupons.member'), dataIndex: 'member_id', search: false, render: (_, c) => c.member_id ?? '—' },
    { title: t('coupons.validUntil'), dataIndex: 'valid_until', search: false, render: (_, c) => formatDateTime(c.valid_until, zone) },
    { title: t('coupons.redeemedAt'), dataIndex: 'redeemed_at', search: false, render: (_, c) => formatDateTime(c.redeemed_at, zone) || '—' },
  ];

  return (
    <PageContainer
      title={b.name}
      onBack={() => history.back()}
      extra={
        can('coupons.write') && (
          <Space wrap>
            {b.issue_mode !== 'printed' ? (
              <Button type="primary" onClick={() => setIssuing(true)}>
                {t('batches.issue')}
              </Button>
            ) : (
              <Button type="primary" onClick={() => setGenerating(true)}>
                {t('batches.generate')}
              </Button>
            )}
            <Button loading={exporting} onClick={() => void exportAs('csv')}>
              {t('batches.exportCsv')}
            </Button>
            <Button loading={exporting} onClick={() => void exportAs('xlsx')}>
              {t('batches.exportXlsx')}
            </Button>
          </Space>
        )
      }
    >
      <ProCard bordered>
        <Space size={48} wrap style={{ marginBottom: 16 }}>
          <Statistic title={t('batches.issued')} value={b.counts.issued} />
          <Statistic title={t('batches.available')} value={b.counts.available} />
          <Statistic title={t('batches.redeemed')} value={b.counts.redeemed} />
          <Statistic title={t('batches.expired')} value={b.counts.expired} />
          <Statistic title={t('batches.void')} value={b.counts.void} />
          <Statistic title={t('batches.discount')} valueRender={() => <Money fen={b.counts.discount} />} />
        </Space>
        <ProDescriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <ProDescriptions.Item label={t('batches.kind')}>{t(`couponKinds.${b.kind}`)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('detail.rule')}>
            {b.kind === 'coupon_amount'
              ? t('batches.amountRule', { threshold: money(b.rule.threshold), amount: money(b.rule.amount) })
              : t('batches.percentRule', { off: formatBpPercent(b.rule.off_bp ?? 0), max: b.rule.max_off ? money(b.rule.max_off) : '—' })}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('batches.issueMode')}>{t(`issueModes.${b.issue_mode}`)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('batches.quantity')}>{b.quantity}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('batches.validity')}>
            {b.valid_days ? t('batches.validDays', { days: b.valid_days }) : `${formatDate(b.valid_from, zone) || '…'} – ${formatDate(b.valid_until, zone) || '…'}`}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('list.stores')}>{t(`scopes.${b.stores.scope ?? 'all'}`)}</ProDescriptions.Item>
        </ProDescriptions>
      </ProCard>
      <div style={{ marginTop: 16 }}>
        <CursorTable<Coupon>
          actionRef={tableRef}
          headerTitle={t('coupons.title')}
          columns={columns}
          params={{ batch_id: id }}
          fetchPage={fetchCoupons}
          locale={{ emptyText: t('coupons.empty') }}
        />
      </div>
      <ModalForm<{ ids: string }>
        title={t('batches.issueTitle')}
        open={issuing}
        onOpenChange={setIssuing}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        onFinish={async (v) => {
          try {
            const r = await issue.mutateAsync({ memberIds: memberIds(v.ids), idempotencyKey: issueKey.key() });
            issueKey.rotate();
            void message.success(t('batches.issuedDone', { count: r.issued }));
            void tableRef.current?.reload();
            return true;
          } catch (e) {
            showError(e);
            return false;
          }
        }}
      >
        <ProFormTextArea
          name="ids"
          label={t('batches.memberIds')}
          extra={t('batches.memberIdsHint')}
          fieldProps={{ rows: 6 }}
          rules={[
            { required: true },
            {
              validator: (_: unknown, text: string | undefined) => {
                const ids = memberIds(text ?? '');
                if (ids.length > 1000) return Promise.reject(new Error(t('batches.tooMany')));
                const bad = ids.find((x) => !uuid.test(x));
                return bad ? Promise.reject(new Error(t('batches.badId', { id: bad }))) : Promise.resolve();
              },
            },
          ]}
        />
      </ModalForm>
      <ModalForm<{ count: number }>
        title={t('batches.generateTitle')}
        open={generating}
        onOpenChange={setGenerating}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        initialValues={{ count: 100 }}
        onFinish={async (v) => {
          try {
            const r = await generate.mutateAsync({ count: v.count, idempotencyKey: codesKey.key() });
            codesKey.rotate();
            void message.success(t('batches.generated', { count: r.issued }));
            void tableRef.current?.reload();
            return true;
          } catch (e) {
            showError(e);
            return false;
          }
        }}
      >
        <ProFormDigit name="count" label={t('batches.count')} min={1} max={10000} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
      </ModalForm>
    </PageContainer>
  );
}
