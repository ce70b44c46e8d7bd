import { App, Button, Popconfirm, Space, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../api/idempotency';
import type { FinManualEntry } from '../../api/types';
import { useAccess, useSession } from '../../app/session';
import { useShowError } from '../../components/useShowError';
import { useDecideManualEntry } from './queries';

export const manualStatusColor: Record<string, string> = { pending: 'processing', approved: 'green', rejected: 'default' };

/** ApproveReject: a pending manual entry's approve and reject buttons (never its author's approval). */
export function ApproveReject({ entry, size, onDecided }: { entry: FinManualEntry; size?: 'small'; onDecided?: () => void }) {
  const { t } = useTranslation('finance');
  const { me } = useSession();
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const idempotency = useIdempotencyKey();
  const decide = useDecideManualEntry();
  if (!can('finance.approve') || entry.status !== 'pending') return null;
  const own = entry.created_by === me.user.id;

  const run = async (decision: 'approve' | 'reject') => {
    try {
      await decide.mutateAsync({ id: entry.id, decision, idempotencyKey: idempotency.key() });
      idempotency.rotate();
      void message.success(decision === 'approve' ? t('manual.approved') : t('manual.rejected'));
      onDecided?.();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <Space>
      <Tooltip title={own ? t('manual.selfApproval') : undefined}>
        <Popconfirm title={t('manual.approveConfirm')} onConfirm={() => run('approve')} disabled={own}>
          <Button type="primary" size={size} disabled={own} loading={decide.isPending && decide.variables?.decision === 'approve'}>
            {t('manual.approve')}
          </Button>
        </Popconfirm>
      </Tooltip>
      <Popconfirm title={t('manual.rejectConfirm')} onConfirm={() => run('reject')}>
        <Button danger size={size} loading={decide.isPending && decide.variables?.decision === 'reject'}>
          {t('manual.reject')}
        </Button>
      </Popconfirm>
    </Space>
  );
}
