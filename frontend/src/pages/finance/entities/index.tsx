import { PageContainer, ProTable } from '@ant-design/pro-components';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FinEntity } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatDateTime } from '../../../lib/time';
import { useEntities } from '../queries';

/** The books the caller may read: HQ's and one per franchisee. */
export default function EntityListPage() {
  const { t } = useTranslation('finance');
  const { can } = useAccess();
  const timeZone = useTimeZone();
  const entities = useEntities();
  if (entities.error) return <ErrorResult error={entities.error} onRetry={() => void entities.refetch()} />;
  return (
    <PageContainer title={t('entities.title')} subTitle={t('entities.subtitle')}>
      <ProTable<FinEntity>
        rowKey="id"
        search={false}
        options={false}
        pagination={false}
        loading={entities.isLoading}
        dataSource={entities.data}
        locale={{ emptyText: t('entities.empty') }}
        columns={[
          { title: t('fields.entity'), dataIndex: 'name' },
          { title: t('entities.kind'), dataIndex: 'kind', render: (_, e) => <Tag color={e.kind === 'hq' ? 'blue' : 'purple'}>{t(`entities.kinds.${e.kind}`)}</Tag> },
          {
            title: t('entities.franchisee'),
            dataIndex: 'franchisee_id',
            render: (_, e) => (e.franchisee_id && can('franchisees.read') ? <Link to={`/org/franchisees/${e.franchisee_id}`}>{t('entities.viewFranchisee')}</Link> : '—'),
          },
          { title: t('entities.createdAt'), dataIndex: 'created_at', render: (_, e) => formatDateTime(e.created_at, timeZone) },
          {
            title: t('fields.actions'),
            key: 'links',
            render: (_, e) => (
              <>
                <Link to={`/finance/journal?entity_id=${e.id}`}>{t('menu.journal')}</Link>
                {' · '}
                <Link to={`/finance/periods?entity_id=${e.id}`}>{t('menu.periods')}</Link>
                {' · '}
                <Link to={`/finance/statements?entity_id=${e.id}`}>{t('menu.statements')}</Link>
              </>
            ),
          },
        ]}
      />
    </PageContainer>
  );
}
