import { ModalForm, PageContainer, ProDescriptions, ProFormDatePicker, ProFormText } from '@ant-design/pro-components';
import { App, Button, Card, Form, Space, Spin, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { FinJournalLine } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { useStoreOptions } from '../../org/queries';
import { useEntities, useEntry, useReverseEntry } from '../queries';

/** One journal entry with its lines, and its reversal. */
export default function EntryDetailPage() {
  const { t } = useTranslation('finance');
  const { id = '' } = useParams();
  const { can } = useAccess();
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const entry = useEntry(id);
  const entities = useEntities();
  const stores = useStoreOptions(can('stores.read'));
  const [reversing, setReversing] = useState(false);

  if (entry.error) return <ErrorResult error={entry.error} onRetry={() => void entry.refetch()} />;
  if (!entry.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const e = entry.data;
  const storeName = (sid: string | null) => (sid ? (stores.data?.find((s) => s.id === sid)?.name ?? sid.slice(0, 8)) : '—');
  const reversible = can('finance.write') && !e.reversed_by && !e.reverses_entry_id && e.source_type !== 'year_end_close';

  return (
    <PageContainer
      title={t('entry.title', { date: e.accounting_date })}
      onBack={() => navigate('/finance/journal')}
      tags={e.reversed_by ? <Tag>{t('journal.reversed')}</Tag> : e.reverses_entry_id ? <Tag color="orange">{t('journal.reversal')}</Tag> : <Tag color="green">{t('journal.posted')}</Tag>}
      extra={
        reversible && (
          <Button danger onClick={() => setReversing(true)}>
            {t('entry.reverse')}
          </Button>
        )
      }
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <ProDescriptions column={{ xs: 1, sm: 2, md: 3 }} bordered size="small">
          <ProDescriptions.Item label={t('fields.entity')}>{entities.data?.find((x) => x.id === e.entity_id)?.name ?? '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('fields.businessDate')}>{e.business_date}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('fields.accountingDate')}>{e.accounting_date}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('fields.period')}>{`${e.period_year}-${String(e.period_month).padStart(2, '0')}`}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('fields.source')}>{t(`sources.${e.source_type}`, { defaultValue: e.source_type })}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('entry.rule')}>{e.rule || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('fields.memo')}>{e.memo || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('fields.postedAt')}>{formatDateTime(e.posted_at, timeZone)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('entry.createdBy')}>{e.created_by_name || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('entry.approvedBy')}>{e.approved_by_name || '—'}</ProDescriptions.Item>
          {e.reverses_entry_id && (
            <ProDescriptions.Item label={t('entry.reverses')}>
              <Link to={`/finance/journal/${e.reverses_entry_id}`}>{t('common:actions.view')}</Link>
            </ProDescriptions.Item>
          )}
          {e.reversed_by && (
            <ProDescriptions.Item label={t('entry.reversedBy')}>
              <Link to={`/finance/journal/${e.reversed_by}`}>{t('common:actions.view')}</Link>
            </ProDescriptions.Item>
          )}
        </ProDescriptions>
        <Card size="small" title={t('entry.lines')}>
          <Table<FinJournalLine>
            rowKey="line_no"
            size="small"
            pagination={false}
            dataSource={e.lines ?? []}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: '#', dataIndex: 'line_no', width: 48 },
              { title: t('fields.account'), key: 'account', render: (_, l) => `${l.account_code} ${l.account_name}` },
              { title: t('fields.store'), dataIndex: 'store_id', render: (s: string | null) => storeName(s) },
              { title: t('fields.debit'), dataIndex: 'debit', align: 'right', render: (f: number) => (f ? <Money fen={f} /> : '') },
              { title: t('fields.credit'), dataIndex: 'credit', align: 'right', render: (f: number) => (f ? <Money fen={f} /> : '') },
              { title: t('fields.cashFlow'), dataIndex: 'cash_flow', render: (c: string) => (c ? t(`cashFlows.${c}`, { defaultValue: c }) : '') },
              { title: t('fields.lineMemo'), dataIndex: 'memo', render: (m: string, l) => <>{m}{l.internal && <Tag style={{ marginLeft: 4 }}>{t('entry.internal')}</Tag>}</> },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3}>
                  <Typography.Text strong>{t('manual.totals')}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  <Money fen={e.debit} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  <Money fen={e.credit} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} colSpan={2} />
              </Table.Summary.Row>
            )}
          />
        </Card>
      </Space>
      {reversing && <ReverseForm id={id} onClose={() => setReversing(false)} />}
    </PageContainer>
  );
}

function ReverseForm({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation('finance');
  const [form] = Form.useForm<{ memo?: string; business_date?: Dayjs }>();
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const idempotency = useIdempotencyKey();
  const reverse = useReverseEntry(id);
  return (
    <ModalForm<{ memo?: string; business_date?: Dayjs }>
      title={t('entry.reverseTitle')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      onFinish={async (v) => {
        try {
          const r = await reverse.mutateAsync({ memo: v.memo?.trim(), businessDate: v.business_date?.format('YYYY-MM-DD'), idempotencyKey: idempotency.key() });
          idempotency.rotate();
          void message.success(t('entry.reversedDone'));
          navigate(`/finance/journal/${r.id}`);
          return true;
        } catch (e) {
          showError(e, form);
          return false;
        }
      }}
    >
      <Typography.Paragraph type="secondary">{t('entry.reverseHint')}</Typography.Paragraph>
      <ProFormDatePicker name="business_date" label={t('fields.businessDate')} extra={t('entry.reverseDateHint')} />
      <ProFormText name="memo" label={t('fields.memo')} rules={[{ max: 500 }]} />
    </ModalForm>
  );
}
