import { PageContainer, type ProColumns } from '@ant-design/pro-components';
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/client';
import type { PageArgs } from '../../../api/pagination';
import type { operations } from '../../../api/schema.gen';
import type { AuditRow } from '../../../api/types';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { formatDateTime } from '../../../lib/time';

type AuditFilters = NonNullable<operations['listAuditLog']['parameters']['query']>;

const fetchAudit = ({ limit, cursor, filters }: PageArgs<AuditFilters>) =>
  unwrap(api.GET('/api/v1/audit-log', { params: { query: { ...filters, limit, cursor } } }));

export default function AuditLogPage() {
  const { t } = useTranslation('audit');
  const timeZone = useTimeZone();

  const columns: ProColumns<AuditRow>[] = [
    { title: t('fields.at'), dataIndex: 'at', search: false, width: 150, render: (_, r) => formatDateTime(r.at, timeZone) },
    {
      title: t('fields.actor'),
      dataIndex: 'actor_id',
      search: false,
      render: (_, r) =>
        r.actor_id ? (
          <Link to={`/staff/users/${r.actor_id}`}>
            <Typography.Text code>{r.actor_id.slice(-8)}</Typography.Text>
          </Link>
        ) : (
          t('fields.system')
        ),
    },
    {
      title: t('fields.action'),
      dataIndex: 'action',
      fieldProps: { placeholder: 'user.roles_changed' },
      render: (_, r) => <Tag>{t(`actions.${r.action.replace('.', '_')}`, { defaultValue: r.action })}</Tag>,
    },
    {
      title: t('fields.objectType'),
      dataIndex: 'object_type',
      valueType: 'select',
      valueEnum: Object.fromEntries(['user', 'store', 'role', 'franchisee'].map((k) => [k, { text: t(`objectTypes.${k}`) }])),
      render: (_, r) => t(`objectTypes.${r.object_type}`, { defaultValue: r.object_type }),
    },
    { title: t('fields.objectId'), dataIndex: 'object_id', copyable: true, ellipsis: true },
    { title: t('fields.ip'), dataIndex: 'ip', search: false },
    { title: t('fields.requestId'), dataIndex: 'request_id', search: false, copyable: true, ellipsis: true },
  ];

  return (
    <PageContainer title={t('title')} subTitle={t('subtitle')}>
      <CursorTable<AuditRow>
        headerTitle={t('title')}
        columns={columns}
        fetchPage={fetchAudit}
        expandable={{
          expandedRowRender: (r) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(r.detail, null, 2)}</pre>,
        }}
      />
    </PageContainer>
  );
}
