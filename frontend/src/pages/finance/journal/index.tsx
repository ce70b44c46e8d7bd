import { PageContainer, type ProColumns } from '@ant-design/pro-components';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { PageArgs } from '../../../api/pagination';
import type { FinJournalEntry } from '../../../api/types';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { storeLabel, useStoreList } from '../../../components/StorePicker';
import { Money } from '../../../components/Money';
import { formatDateTime } from '../../../lib/time';
import { journalQuery, type JournalSearch } from '../filters';
import { fetchEntries, useAccounts, useEntities } from '../queries';

/** The journal: posted entries in posting order, filtered by books, source and accounting date. */
export default function JournalPage() {
  const { t } = useTranslation('finance');
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const [params] = useSearchParams();
  const entities = useEntities();
  const entityName = new Map((entities.data ?? []).map((e) => [e.id, e.name]));

  const accounts = useAccounts();
  const stores = useStoreList();
  const fetchPage = ({ limit, cursor, filters }: PageArgs<JournalSearch>) => fetchEntries({ limit, cursor, filters: journalQuery(filters, timeZone) });

  const columns: ProColumns<FinJournalEntry>[] = [
    {
      title: t('fields.accountingDate'),
      dataIndex: 'accounting_date',
      search: false,
      render: (_, e) => <Link to={`/finance/journal/${e.id}`}>{e.accounting_date}</Link>,
    },
    { title: t('fields.dates'), dataIndex: 'dates', valueType: 'dateRange', hideInTable: true },
    {
      title: t('fields.entity'),
      dataIndex: 'entity_id',
      valueType: 'select',
      fieldProps: { options: (entities.data ?? []).map((e) => ({ value: e.id, label: e.name })) },
      render: (_, e) => entityName.get(e.entity_id) ?? '—',
    },
    {
      title: t('fields.accountWithSubs'),
      dataIndex: 'account_code',
      valueType: 'select',
      hideInTable: true,
      fieldProps: { showSearch: true, optionFilterProp: 'label', options: (accounts.data ?? []).map((a) => ({ value: a.code, label: `${a.code} ${a.name}` })) },
    },
    {
      title: t('fields.store'),
      dataIndex: 'store_id',
      valueType: 'select',
      hideInTable: true,
      fieldProps: { showSearch: true, optionFilterProp: 'label', options: (stores.data ?? []).map((s) => ({ value: s.id, label: storeLabel(s) })) },
    },
    { title: t('fields.source'), dataIndex: 'source_type', render: (_, e) => t(`sources.${e.source_type}`, { defaultValue: e.source_type }) },
    { title: t('fields.amount'), dataIndex: 'debit', search: false, align: 'right', render: (_, e) => <Money fen={e.debit} /> },
    {
      title: t('fields.status'),
      key: 'status',
      search: false,
      render: (_, e) =>
        e.reversed_by ? <Tag>{t('journal.reversed')}</Tag> : e.reverses_entry_id ? <Tag color="orange">{t('journal.reversal')}</Tag> : <Tag color="green">{t('journal.posted')}</Tag>,
    },
    { title: t('fields.memo'), dataIndex: 'memo', search: false, ellipsis: true, width: 220, render: (_, e) => e.memo || e.rule || '—' },
    { title: t('fields.period'), key: 'period', search: false, render: (_, e) => `${e.period_year}-${String(e.period_month).padStart(2, '0')}` },
    { title: t('fields.businessDate'), dataIndex: 'business_date', search: false },
    { title: t('fields.postedAt'), dataIndex: 'posted_at', search: false, render: (_, e) => formatDateTime(e.posted_at, timeZone) },
  ];

  return (
    <PageContainer title={t('journal.title')} subTitle={t('journal.subtitle')}>
      <CursorTable<FinJournalEntry, JournalSearch>
        headerTitle={t('journal.title')}
        columns={columns}
        fetchPage={fetchPage}
        form={{ initialValues: { entity_id: params.get('entity_id') ?? undefined } }}
        onRow={(e) => ({ onDoubleClick: () => navigate(`/finance/journal/${e.id}`) })}
        locale={{ emptyText: t('journal.empty') }}
      />
    </PageContainer>
  );
}
