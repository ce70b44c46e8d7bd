import { CheckCircleFilled, ClockCircleOutlined } from '@ant-design/icons';
import { PageContainer, ProCard } from '@ant-design/pro-components';
import { Button, List, Progress, Space, Spin, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OnboardingStepKey } from '../../../api/types';
import { findPage } from '../../../app/routes';
import { useAccess } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { useMarkStep, useOnboarding } from '../queries';

// The screen that does each step. A step whose screen has not landed yet
// (or that the user may not open) shows no link; the link appears when
// its route joins the table.
const stepScreens: Record<OnboardingStepKey, string | undefined> = {
  chain_profile: '/org/profile',
  first_store: '/org/stores',
  import_products: '/catalog/products',
  receive_stock: '/inventory/stock',
  first_sale: '/pos',
  import_members: '/members/import',
  invite_staff: '/staff/users',
  choose_plan: '/billing',
};

export default function OnboardingPage() {
  const { t } = useTranslation('billing');
  const access = useAccess();
  const onboarding = useOnboarding();
  const mark = useMarkStep();
  const showError = useShowError();

  if (onboarding.error) return <ErrorResult error={onboarding.error} onRetry={() => void onboarding.refetch()} />;
  if (!onboarding.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const { steps, completed, total } = onboarding.data;

  return (
    <PageContainer title={t('onboarding.title')} subTitle={t('onboarding.subtitle')}>
      <ProCard bordered>
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Progress percent={total ? Math.round((completed / total) * 100) : 0} format={() => t('onboarding.progress', { completed, total })} />
          <List
            data-testid="onboarding-steps"
            itemLayout="horizontal"
            dataSource={steps}
            renderItem={(step) => {
              const screen = stepScreens[step.key];
              const page = screen ? findPage(screen, access) : undefined;
              return (
                <List.Item
                  actions={[
                    page && (
                      <Link key="go" to={page.path}>
                        <Button type={step.done ? 'default' : 'primary'} size="small">
                          {t(`onboarding.steps.${step.key}.action`)}
                        </Button>
                      </Link>
                    ),
                    !step.derived && access.can('onboarding.write') && (
                      <Switch
                        key="mark"
                        checked={step.done}
                        checkedChildren={t('onboarding.done')}
                        unCheckedChildren={t('onboarding.todo')}
                        loading={mark.isPending && mark.variables?.step === step.key}
                        onChange={(done) => mark.mutate({ step: step.key, done }, { onError: (e) => showError(e) })}
                      />
                    ),
                  ].filter(Boolean)}
                >
                  <List.Item.Meta
                    avatar={step.done ? <CheckCircleFilled style={{ color: '#52c41a', fontSize: 20 }} /> : <ClockCircleOutlined style={{ fontSize: 20 }} />}
                    title={
                      <Space>
                        {t(`onboarding.steps.${step.key}.title`, { defaultValue: step.title })}
                        {step.done && <Tag color="green">{t('onboarding.done')}</Tag>}
                        {!page && screen && <Tag>{t('onboarding.comingSoon')}</Tag>}
                      </Space>
                    }
                    description={<Typography.Text type="secondary">{t(`onboarding.steps.${step.key}.description`)}</Typography.Text>}
                  />
                </List.Item>
              );
            }}
          />
        </Space>
      </ProCard>
    </PageContainer>
  );
}
