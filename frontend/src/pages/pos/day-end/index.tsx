import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { DatePicker, Empty, Space, Spin, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PosShift } from '../../../api/types';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { dayjs, formatDateTime } from '../../../lib/time';
import { ShiftStatus } from '../ShiftStatus';
import { Takings } from '../Takings';
import { bpPercent } from '../labels';
import { StoreRequired } from '../StoreRequired';
import { useDayEnd } from '../queries';

function DayEnd({ storeId }: { storeId: string }) {
  const { t } = useTranslation('pos');
  const zone = useTimeZone();
  const [date, setDate] = useState(() => dayjs().tz(zone).format('YYYY-MM-DD'));
  const report = useDayEnd(storeId, date);

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <span>{t('dayEnd.date')}</span>
        <DatePicker
          aria-label={t('dayEnd.date')}
          allowClear={false}
          value={dayjs(date)}
          onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))}
        />
      </Space>
      {report.error ? (
        <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
      ) : !report.data ? (
        <Spin style={{ display: 'block', margin: '64px auto' }} />
      ) : (
        <Spin spinning={report.isFetching}>
          <ProCard title={t('dayEnd.summary')} bordered headerBordered>
            <ProDescriptions column={{ xs: 1, md: 3 }} bordered size="small" style={{ marginBottom: 16 }}>
              <ProDescriptions.Item label={t('dayEnd.shifts')}>{(report.data.shifts ?? []).length}</ProDescriptions.Item>
              <ProDescriptions.Item label={t('dayEnd.openShifts')}>{report.data.open_shifts}</ProDescriptions.Item>
              <ProDescriptions.Item label={t('dayEnd.cashVariance')}><Money fen={report.data.cash_variance} /></ProDescriptions.Item>
            </ProDescriptions>
            <Takings takings={report.data.takings} />
          </ProCard>
          <ProCard title={t('dayEnd.byVat')} bordered headerBordered style={{ marginTop: 16 }}>
            {report.data.by_vat_rate ? (
              <Table
                size="small"
                rowKey="vat_rate_bp"
                pagination={false}
                dataSource={report.data.by_vat_rate}
                columns={[
                  { title: t('dayEnd.vatRate'), dataIndex: 'vat_rate_bp', render: (bp: number) => `${bpPercent(bp)}%` },
                  { title: t('dayEnd.net'), dataIndex: 'net', align: 'right', render: (v: number) => <Money fen={v} /> },
                ]}
              />
            ) : (
              <Empty description={t('dayEnd.noSales')} />
            )}
          </ProCard>
          <ProCard title={t('dayEnd.shiftList')} bordered headerBordered style={{ marginTop: 16 }}>
            <Table<PosShift>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={report.data.shifts ?? []}
              locale={{ emptyText: t('dayEnd.noShifts') }}
              columns={[
                { title: t('shifts.status'), dataIndex: 'status', render: (_: unknown, s) => <ShiftStatus status={s.status} /> },
                {
                  title: t('shifts.openedAt'),
                  dataIndex: 'opened_at',
                  render: (_: unknown, s) => <Link to={`/pos-admin/stores/${storeId}/shifts/${s.id}`}>{formatDateTime(s.opened_at, zone)}</Link>,
                },
                { title: t('shifts.closedAt'), dataIndex: 'closed_at', render: (_: unknown, s) => formatDateTime(s.closed_at, zone) || '—' },
                {
                  title: t('shifts.variance'),
                  dataIndex: 'cash_variance',
                  align: 'right',
                  render: (_: unknown, s) => (s.cash_variance === null ? '—' : <Money fen={s.cash_variance} />),
                },
              ]}
            />
          </ProCard>
        </Spin>
      )}
    </>
  );
}

export default function DayEndPage() {
  const { t } = useTranslation('pos');
  return (
    <PageContainer title={t('dayEnd.title')} subTitle={t('dayEnd.subtitle')}>
      <StoreRequired>{(storeId) => <DayEnd key={storeId} storeId={storeId} />}</StoreRequired>
    </PageContainer>
  );
}
