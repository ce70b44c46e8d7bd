import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { TopupRule } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { useCreateTopupRule, useSetTopupRuleActive, useTopupRules } from '../queries';
import { TopupRuleForm } from '../RewardForms';

/** Stored-value top-up rules (充值赠送): a top-up gets the bonus of the active rule with the largest minimum not above it, once. */
export default function TopupRuleListPage() {
  const { t } = useTranslation('members');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const rules = useTopupRules();
  const create = useCreateTopupRule();
  const setActive = useSetTopupRuleActive();
  const idempotency = useIdempotencyKey();
  const [creating, setCreating] = useState(false);
  const writable = can('members.write');

  if (rules.error) return <ErrorResult error={rules.error} onRetry={() => void rules.refetch()} />;

  const toggle = async (rule: TopupRule) => {
    try {
      await setActive.mutateAsync({ id: rule.id, active: !rule.active });
      void message.success(rule.active ? t('topup.deactivated') : t('topup.activated'));
    } catch (e) {
      showError(e);
    }
  };

  const columns: ProColumns<TopupRule>[] = [
    { title: t('topup.name'), dataIndex: 'name' },
    { title: t('topup.minAmount'), dataIndex: 'min_amount', align: 'right', render: (_, g) => <Money fen={g.min_amount} /> },
    { title: t('topup.bonus'), dataIndex: 'bonus', align: 'right', render: (_, g) => <Money fen={g.bonus} /> },
    { title: t('fields.status'), dataIndex: 'active', render: (_, g) => <Tag color={g.active ? 'green' : 'default'}>{g.active ? t('tiers.active') : t('tiers.inactive')}</Tag> },
    { title: t('gifts.createdAt'), dataIndex: 'created_at', render: (_, g) => formatDateTime(g.created_at, timeZone) },
    ...(writable
      ? [
          {
            title: t('ledger.actions'),
            key: 'actions',
            render: (_: unknown, g: TopupRule) => <a onClick={() => void toggle(g)}>{g.active ? t('tiers.deactivate') : t('tiers.activate')}</a>,
          },
        ]
      : []),
  ];

  return (
    <PageContainer title={t('topup.title')} subTitle={t('topup.subtitle')}>
      <ProTable<TopupRule>
        rowKey="id"
        search={false}
        loading={rules.isLoading}
        dataSource={rules.data}
        columns={columns}
        pagination={false}
        options={false}
        locale={{ emptyText: t('topup.empty') }}
        toolBarRender={() =>
          writable
            ? [
                <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                  {t('topup.create')}
                </Button>,
              ]
            : []
        }
      />
      {creating && (
        <TopupRuleForm
          onClose={() => setCreating(false)}
          onSubmit={async (body) => {
            await create.mutateAsync({ body, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('common:state.saved'));
          }}
        />
      )}
    </PageContainer>
  );
}
