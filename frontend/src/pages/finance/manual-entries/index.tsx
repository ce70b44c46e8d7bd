import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Button, Tag } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { PageArgs } from '../../../api/pagination';
import type { FinManualEntry } from '../../../api/types';
import { Access, useAccess, useSession } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { Money } from '../../../components/Money';
import { formatDateTime } from '../../../lib/time';
import { ApproveReject, manualStatusColor } from '../Decision';
import { manualQuery, type ManualSearch } from '../filters';
import { useStaffNames } from '../../users/queries';
import { fetchManualEntries, useEntities } from '../queries';

/** Manual journal entries: drafts awaiting approval, and the decided ones. */
export default function ManualEntryListPage() {
  const { t } = useTranslation('finance');
  const { me } = useSession();
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const tableRef = useRef<ActionType>();
  const entities = useEntities();
  const entityName = new Map((entities.data ?? []).map((e) => [e.id, e.name]));
  const { can } = useAccess();
  const users = useStaffNames(can('users.read'));
  // The author filter: me, and the colleagues whose names the caller may read.
  const authors = [
    { value: me.user.id, label: t('manual.me') },
    ...[...(users.data ?? new Map<string, string>())].filter(([id]) => id !== me.user.id).map(([value, label]) => ({ value, label })),
  ];
  const fetchPage = ({ limit, cursor, filters }: PageArgs<ManualSearch>) => fetchManualEntries({ limit, cursor, filters: manualQuery(filters, timeZone) });
  const sumDebit = (e: FinManualEntry) => e.lines.reduce((s, l) => s + BigInt(l.debit ?? 0), 0n);

  const columns: ProColumns<FinManualEntry>[] = [
    { title: t('fields.businessDate'), dataIndex: 'business_date', search: false, render: (_, e) => <Link to={`/finance/manual-entries/${e.id}`}>{e.business_date}</Link> },
    { title: t('fields.businessDates'), dataIndex: 'dates', valueType: 'dateRange', hideInTable: true },
    {
      title: t('fields.entity'),
      dataIndex: 'entity_id',
      valueType: 'select',
      fieldProps: { options: (entities.data ?? []).map((e) => ({ value: e.id, label: e.name })) },
      render: (_, e) => entityName.get(e.entity_id) ?? '—',
    },
    { title: t('fields.memo'), dataIndex: 'memo', search: false, ellipsis: true, render: (_, e) => e.memo || '—' },
    { title: t('fields.amount'), key: 'amount', search: false, align: 'right', render: (_, e) => <Money fen={sumDebit(e)} /> },
    { title: t('manual.lineCount'), key: 'lines', search: false, render: (_, e) => e.lines.length },
    {
      title: t('fields.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: {
        pending: { text: t('manualStatuses.pending') },
        approved: { text: t('manualStatuses.approved') },
        rejected: { text: t('manualStatuses.rejected') },
      },
      render: (_, e) => <Tag color={manualStatusColor[e.status]}>{t(`manualStatuses.${e.status}`)}</Tag>,
    },
    { title: t('manual.author'), dataIndex: 'created_by_name', search: false, render: (_, e) => e.created_by_name || '—' },
    { title: t('manual.decidedBy'), dataIndex: 'decided_by_name', search: false, render: (_, e) => e.decided_by_name || '—' },
    { title: t('manual.createdAt'), dataIndex: 'created_at', search: false, render: (_, e) => formatDateTime(e.created_at, timeZone) },
    {
      title: t('fields.actions'),
      key: 'actions',
      search: false,
      render: (_, e) => <ApproveReject entry={e} size="small" onDecided={() => void tableRef.current?.reload()} />,
    },
    // The search form's author picker (the column above shows the author).
    { title: t('manual.author'), dataIndex: 'author_filter', valueType: 'select', hideInTable: true, search: { transform: (v: string) => ({ created_by: v }) }, fieldProps: { showSearch: true, optionFilterProp: 'label', options: authors } },
  ];

  return (
    <PageContainer title={t('manual.title')} subTitle={t('manual.subtitle')}>
      <CursorTable<FinManualEntry, ManualSearch>
        actionRef={tableRef}
        headerTitle={t('manual.title')}
        columns={columns}
        fetchPage={fetchPage}
        onRow={(e) => ({ onDoubleClick: () => navigate(`/finance/manual-entries/${e.id}`) })}
        locale={{ emptyText: t('manual.empty') }}
        toolBarRender={() => [
          <Access key="create" to="finance.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/finance/manual-entries/new')}>
              {t('manual.create')}
            </Button>
          </Access>,
        ]}
      />
    </PageContainer>
  );
}
