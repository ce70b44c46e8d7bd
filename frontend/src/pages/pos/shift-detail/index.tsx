import { ModalForm, PageContainer, ProCard, ProDescriptions, ProFormTextArea } from '@ant-design/pro-components';
import { App, Button, Spin, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { PosShiftCount } from '../../../api/types';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { ShiftStatus } from '../ShiftStatus';
import { Takings } from '../Takings';
import { tenderLabel } from '../labels';
import { useApproveShift, useRegisters, useShiftReport } from '../queries';

export default function ShiftDetailPage() {
  const { t } = useTranslation('pos');
  const { storeId = '', id = '' } = useParams();
  const zone = useTimeZone();
  const { message } = App.useApp();
  const showError = useShowError();
  const report = useShiftReport(storeId, id);
  const approve = useApproveShift(storeId, id);
  const registers = useRegisters(storeId);
  const [approving, setApproving] = useState(false);

  if (report.error) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} />;
  if (!report.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const { shift: s, takings } = report.data;
  const register = registers.data?.find((r) => r.id === s.register_id);

  return (
    <PageContainer
      title={t('shifts.detailTitle', { date: s.business_date })}
      onBack={() => history.back()}
      tags={<ShiftStatus status={s.status} />}
      extra={
        s.status === 'pending_approval' && (
          <Button type="primary" onClick={() => setApproving(true)}>
            {t('shifts.approve')}
          </Button>
        )
      }
    >
      <ProCard title={t('shifts.report')} bordered headerBordered>
        <ProDescriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <ProDescriptions.Item label={t('shifts.register')}>{register ? `${register.code} ${register.name}` : s.register_id}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('shifts.cashier')}>{s.cashier_name || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('shifts.openedAt')}>{formatDateTime(s.opened_at, zone)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('shifts.closedAt')}>{formatDateTime(s.closed_at, zone) || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('shifts.float')}><Money fen={s.opening_float} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('shifts.variance')}>{s.cash_variance === null ? '—' : <Money fen={s.cash_variance} />}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('shifts.approvedBy')}>
            {s.approved_by ? `${s.approved_by_name || '—'} · ${formatDateTime(s.approved_at, zone)}` : '—'}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('shifts.note')}>{s.note || '—'}</ProDescriptions.Item>
        </ProDescriptions>
      </ProCard>
      <ProCard title={t('shifts.counts')} bordered headerBordered style={{ marginTop: 16 }}>
        <Table<PosShiftCount>
          size="small"
          rowKey="method"
          pagination={false}
          dataSource={s.counts ?? []}
          locale={{ emptyText: t('shifts.noCounts') }}
          columns={[
            { title: t('takings.tender'), dataIndex: 'method', render: (m: string) => tenderLabel(t, m) },
            { title: t('shifts.expected'), dataIndex: 'expected', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: t('shifts.counted'), dataIndex: 'counted', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: t('shifts.variance'), dataIndex: 'variance', align: 'right', render: (v: number) => <Money fen={v} /> },
          ]}
        />
      </ProCard>
      <ProCard title={t('shifts.takings')} bordered headerBordered style={{ marginTop: 16 }}>
        <Takings takings={takings} />
      </ProCard>
      <ModalForm<{ note?: string }>
        title={t('shifts.approveTitle')}
        open={approving}
        onOpenChange={setApproving}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        width={480}
        onFinish={async (v) => {
          try {
            await approve.mutateAsync(v.note?.trim() ?? '');
            void message.success(t('shifts.approved'));
            return true;
          } catch (e) {
            showError(e);
            return false;
          }
        }}
      >
        <p>{t('shifts.approveHint')}</p>
        <ProFormTextArea name="note" label={t('shifts.note')} fieldProps={{ maxLength: 500 }} />
      </ModalForm>
    </PageContainer>
  );
}
