import { PageContainer, ProForm, ProFormDependency, ProFormDigit, ProFormRadio } from '@ant-design/pro-components';
import { App, Card, Form, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PointsRuleInput } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { usePointsRule, usePutPointsRule } from '../queries';

export default function PointsRulePage() {
  const { t } = useTranslation('members');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<PointsRuleInput>();
  const rule = usePointsRule();
  const put = usePutPointsRule();

  if (rule.error) return <ErrorResult error={rule.error} onRetry={() => void rule.refetch()} />;
  if (!rule.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const r = rule.data;

  return (
    <PageContainer title={t('pointsRule.title')} subTitle={t('pointsRule.subtitle')}>
      <Card style={{ maxWidth: 720 }}>
        <ProForm<PointsRuleInput>
          form={form}
          disabled={!can('members.write')}
          initialValues={{ ...r, expiry_days: r.expiry_days || 365 }}
          submitter={can('members.write') ? { searchConfig: { submitText: t('common:actions.save') }, resetButtonProps: false } : false}
          onFinish={async (v) => {
            try {
              await put.mutateAsync({
                points_per_yuan: v.points_per_yuan,
                excluded_category_ids: r.excluded_category_ids,
                expiry: v.expiry,
                ...(v.expiry === 'days' ? { expiry_days: v.expiry_days } : {}),
                points_per_yuan_off: v.points_per_yuan_off,
              });
              void message.success(t('common:state.saved'));
              return true;
            } catch (e) {
              showError(e, form);
              return false;
            }
          }}
        >
          <ProFormDigit name="points_per_yuan" label={t('pointsRule.perYuan')} min={0} max={1000} fieldProps={{ precision: 0 }} />
          <ProFormDigit name="points_per_yuan_off" label={t('pointsRule.perYuanOff')} min={1} max={100000} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
          <ProFormRadio.Group
            name="expiry"
            label={t('pointsRule.expiry')}
            options={(['end_of_next_year', 'days', 'never'] as const).map((e) => ({ value: e, label: t(`pointsRule.expiries.${e}`) }))}
          />
          <ProFormDependency name={['expiry']}>
            {({ expiry }) =>
              expiry === 'days' && <ProFormDigit name="expiry_days" label={t('pointsRule.expiryDays')} min={1} max={3660} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
            }
          </ProFormDependency>
          <Typography.Paragraph type="secondary">{t('pointsRule.excluded', { count: r.excluded_category_ids.length })}</Typography.Paragraph>
        </ProForm>
      </Card>
    </PageContainer>
  );
}
