import { PageContainer, ProDescriptions } from '@ant-design/pro-components';
import { Card, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { FinManualLine } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { formatDateTime } from '../../../lib/time';
import { useStoreOptions } from '../../org/queries';
import { ApproveReject, manualStatusColor } from '../Decision';
import { useAccounts, useEntities, useManualEntry } from '../queries';

export default function ManualEntryDetailPage() {
  const { t } = useTranslation('finance');
  const { id = '' } = useParams();
  const { can } = useAccess();
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const entry = useManualEntry(id);
  const entities = useEntities();
  const accounts = useAccounts();
  const stores = useStoreOptions(can('stores.read'));

  if (entry.error) return <ErrorResult error={entry.error} onRetry={() => void entry.refetch()} />;
  if (!entry.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const e = entry.data;
  const accountName = (code: string) => accounts.data?.find((a) => a.code === code)?.name ?? '';
  const storeName = (sid?: string | null) => (sid ? (stores.data?.find((s) => s.id === sid)?.name ?? sid.slice(0, 8)) : '—');
  const debit = e.lines.reduce((s, l) => s + BigInt(l.debit ?? 0), 0n);
  const credit = e.lines.reduce((s, l) => s + BigInt(l.credit ?? 0), 0n);

  return (
    <PageContainer
      title={t('manual.detailTitle', { date: e.business_date })}
      onBack={() => navigate('/finance/manual-entries')}
      tags={<Tag color={manualStatusColor[e.status]} data-testid="manual-status">{t(`manualStatuses.${e.status}`)}</Tag>}
      extra={<ApproveReject entry={e} />}
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <ProDescriptions column={{ xs: 1, sm: 2, md: 3 }} bordered size="small">
          <ProDescriptions.Item label={t('fields.entity')}>{entities.data?.find((x) => x.id === e.entity_id)?.name ?? '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('fields.businessDate')}>{e.business_date}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('fields.memo')}>{e.memo || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('manual.author')}>
            <span data-testid="manual-author">{e.created_by_name || '—'}</span>
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('manual.decidedBy')}>
            <span data-testid="manual-decider">{e.decided_by_name || '—'}</span>
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('manual.createdAt')}>{formatDateTime(e.created_at, timeZone)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('manual.decidedAt')}>{formatDateTime(e.decided_at, timeZone) || '—'}</ProDescriptions.Item>
          {e.entry_id && (
            <ProDescriptions.Item label={t('manual.postedEntry')}>
              <Link to={`/finance/journal/${e.entry_id}`} data-testid="posted-entry-link">{t('common:actions.view')}</Link>
            </ProDescriptions.Item>
          )}
        </ProDescriptions>
        <Card size="small" title={t('entry.lines')}>
          <Table<FinManualLine & { key: number }>
            size="small"
            pagination={false}
            dataSource={e.lines.map((l, i) => ({ ...l, key: i }))}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('fields.account'), dataIndex: 'account_code', render: (c: string) => `${c} ${accountName(c)}` },
              { title: t('fields.store'), dataIndex: 'store_id', render: (s?: string | null) => storeName(s) },
              { title: t('fields.debit'), dataIndex: 'debit', align: 'right', render: (f?: number) => (f ? <Money fen={f} /> : '') },
              { title: t('fields.credit'), dataIndex: 'credit', align: 'right', render: (f?: number) => (f ? <Money fen={f} /> : '') },
              { title: t('fields.cashFlow'), dataIndex: 'cash_flow', render: (c?: string) => (c ? t(`cashFlows.${c}`, { defaultValue: c }) : '') },
              { title: t('fields.lineMemo'), dataIndex: 'memo' },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={2}>
                  <Typography.Text strong>{t('manual.totals')}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  <Money fen={debit} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  <Money fen={credit} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} colSpan={2} />
              </Table.Summary.Row>
            )}
          />
        </Card>
      </Space>
    </PageContainer>
  );
}
