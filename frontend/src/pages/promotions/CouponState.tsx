import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Coupon } from '../../api/types';

const colors = { available: 'green', not_started: 'blue', used: 'default', expired: 'default', void: 'red' } as const;

export function CouponState({ state }: { state: Coupon['state'] }) {
  const { t } = useTranslation('promotions');
  return <Tag color={colors[state]}>{t(`couponStates.${state}`)}</Tag>;
}
