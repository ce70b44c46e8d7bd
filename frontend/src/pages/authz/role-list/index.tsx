import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Button, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Role } from '../../../api/types';
import { Access } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { roleLabel } from '../role-label';
import { useRoles } from '../queries';

export default function RoleListPage() {
  const { t } = useTranslation('authz');
  const navigate = useNavigate();
  const roles = useRoles();

  const columns: ProColumns<Role>[] = [
    { title: t('fields.name'), dataIndex: 'name', render: (_, r) => <Link to={`/staff/roles/${r.id}`}>{roleLabel(t, r)}</Link> },
    { title: t('fields.key'), dataIndex: 'key', copyable: true },
    { title: t('fields.scope'), dataIndex: 'scope', render: (_, r) => t(`scopes.${r.scope}`) },
    { title: t('fields.kind'), dataIndex: 'builtin', render: (_, r) => (r.builtin ? <Tag>{t('builtinTag')}</Tag> : <Tag color="blue">{t('customTag')}</Tag>) },
    { title: t('fields.permissionCount'), dataIndex: 'permissions', align: 'right', render: (_, r) => r.permissions.length },
    { title: t('fields.description'), dataIndex: 'description', ellipsis: true, render: (_, r) => (r.builtin ? t(`builtinDescriptions.${r.key}`, { defaultValue: r.description }) : r.description) },
  ];

  if (roles.error) return <ErrorResult error={roles.error} onRetry={() => void roles.refetch()} />;
  return (
    <PageContainer title={t('list.title')} subTitle={t('list.subtitle')}>
      <ProTable<Role>
        rowKey="id"
        headerTitle={t('list.title')}
        search={false}
        pagination={false}
        loading={roles.isLoading}
        dataSource={roles.data}
        columns={columns}
        options={{ density: false, reload: () => void roles.refetch(), setting: false }}
        scroll={{ x: 'max-content' }}
        toolBarRender={() => [
          <Access key="create" to="roles.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/staff/roles/new')}>
              {t('list.create')}
            </Button>
          </Access>,
        ]}
      />
    </PageContainer>
  );
}
