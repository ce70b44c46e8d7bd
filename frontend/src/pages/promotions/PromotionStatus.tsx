import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Promotion } from '../../api/types';

const colors = { draft: 'default', active: 'green', paused: 'orange', ended: 'default' } as const;

export function PromotionStatus({ status }: { status: Promotion['status'] }) {
  const { t } = useTranslation('promotions');
  return <Tag color={colors[status]}>{t(`statuses.${status}`)}</Tag>;
}
