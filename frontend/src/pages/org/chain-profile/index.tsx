import { PageContainer, ProForm, ProFormSelect, ProFormText } from '@ant-design/pro-components';
import { App, Card, Descriptions, Form, Spin } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tenant } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { useMarkStep } from '../../billing/queries';
import { useChainProfile, useUpdateChainProfile } from '../queries';

type Values = { name: string; kind: Tenant['kind']; time_zone: string };

// The chain profile (GET/PATCH /tenant). Saving it ticks the onboarding
// step chain_profile, which the API leaves to the console.
export default function ChainProfilePage() {
  const { t } = useTranslation('org');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const profile = useChainProfile();
  const update = useUpdateChainProfile();
  const mark = useMarkStep();
  const [form] = Form.useForm<Values>();
  const timeZones = useMemo(() => Intl.supportedValuesOf('timeZone').map((z) => ({ value: z, label: z })), []);

  if (profile.error) return <ErrorResult error={profile.error} onRetry={() => void profile.refetch()} />;
  if (!profile.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const chain = profile.data;
  const writable = can('tenant.write');

  return (
    <PageContainer title={t('profile.title')} subTitle={t('profile.subtitle')}>
      <Card style={{ maxWidth: 720 }}>
        <Descriptions column={1} size="small" style={{ marginBottom: 24 }}>
          <Descriptions.Item label={t('profile.slug')}>{chain.slug}</Descriptions.Item>
          <Descriptions.Item label={t('profile.currency')}>
            <span data-testid="chain-currency">{chain.currency}</span>
            <span style={{ marginLeft: 8, color: 'rgba(0,0,0,0.45)' }}>{t('profile.currencyHint')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('profile.createdAt')}>{formatDateTime(chain.created_at, chain.time_zone)}</Descriptions.Item>
        </Descriptions>
        <ProForm<Values>
          form={form}
          layout="horizontal"
          labelCol={{ span: 6 }}
          disabled={!writable}
          initialValues={{ name: chain.name, kind: chain.kind, time_zone: chain.time_zone }}
          submitter={writable ? { searchConfig: { submitText: t('common:actions.save') }, resetButtonProps: false } : false}
          onFinish={async (v) => {
            try {
              await update.mutateAsync({ name: v.name.trim(), kind: v.kind, time_zone: v.time_zone });
            } catch (e) {
              showError(e, form);
              return;
            }
            void message.success(t('profile.saved'));
            if (can('onboarding.write')) mark.mutate({ step: 'chain_profile', done: true }, { onError: (e) => showError(e) });
          }}
        >
          <ProFormText name="name" label={t('profile.name')} rules={[{ required: true, whitespace: true }, { max: 200 }]} />
          <ProFormSelect
            name="kind"
            label={t('profile.kind')}
            allowClear={false}
            rules={[{ required: true }]}
            options={(['supermarket', 'convenience', 'mixed'] as const).map((k) => ({ value: k, label: t(`profile.kinds.${k}`) }))}
          />
          <ProFormSelect
            name="time_zone"
            label={t('profile.timeZone')}
            extra={t('profile.timeZoneHint')}
            showSearch
            allowClear={false}
            rules={[{ required: true }]}
            options={timeZones}
          />
        </ProForm>
      </Card>
    </PageContainer>
  );
}
