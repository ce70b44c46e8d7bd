import { PageContainer } from '@ant-design/pro-components';
import { App, Card, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import { useAccess, useSession } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult, ForbiddenResult } from '../../../components/ErrorResult';
import { dayjs } from '../../../lib/time';
import { useStoreOptions } from '../../org/queries';
import { ManualEntryForm } from '../ManualEntryForm';
import { useAccounts, useCreateManualEntry, useEntities } from '../queries';

export default function ManualEntryNewPage() {
  const { t } = useTranslation('finance');
  const { me } = useSession();
  const { can } = useAccess();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const entities = useEntities();
  const accounts = useAccounts();
  const stores = useStoreOptions(can('stores.read'));
  const create = useCreateManualEntry();
  const idempotency = useIdempotencyKey();

  if (!can('finance.write')) return <ForbiddenResult />;
  const failed = entities.error ?? accounts.error;
  if (failed) return <ErrorResult error={failed} onRetry={() => void Promise.all([entities.refetch(), accounts.refetch()])} />;
  if (!entities.data || !accounts.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;

  return (
    <PageContainer title={t('manual.createTitle')} subTitle={t('manual.createSubtitle')} onBack={() => navigate('/finance/manual-entries')}>
      <Card>
        <ManualEntryForm
          entities={entities.data}
          accounts={accounts.data}
          stores={stores.data ?? []}
          currency={me.tenant.currency}
          defaultDate={dayjs().tz(timeZone)}
          submitting={create.isPending}
          onSubmit={async (body) => {
            const entry = await create.mutateAsync({ body, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('manual.created'));
            navigate(`/finance/manual-entries/${entry.id}`);
          }}
        />
      </Card>
    </PageContainer>
  );
}
