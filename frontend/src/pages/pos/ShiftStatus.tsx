import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PosShift } from '../../api/types';

const colors = { open: 'blue', pending_approval: 'orange', closed: 'default' } as const;

export function ShiftStatus({ status }: { status: PosShift['status'] }) {
  const { t } = useTranslation('pos');
  return <Tag color={colors[status]}>{t(`shifts.statuses.${status}`)}</Tag>;
}
