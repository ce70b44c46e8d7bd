import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { daysUntil, formatDate } from '../../lib/time';
import { useAccess, useSession } from '../session';

/**
 * BillingBanner tells the chain where its subscription stands, from /me's
 * billing flags: read-only, a failed payment with the end of its grace
 * period, or the days left in the trial. (The console writes its own
 * sentences in the user's language rather than /me's `banner`.)
 */
export function BillingBanner() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { can } = useAccess();
  const b = me.billing;
  const action = can('billing.read') ? <Link to="/billing">{b.read_only || b.past_due ? t('billing.choosePlan') : t('billing.manage')}</Link> : null;

  let type: 'error' | 'warning' | 'info';
  let text: string;
  if (b.read_only) {
    type = 'error';
    text = t('billing.readOnly');
  } else if (b.past_due) {
    type = 'warning';
    text = t('billing.pastDue', { date: formatDate(b.grace_ends_at, me.tenant.time_zone) });
  } else if (b.status === 'trialing' && b.trial_ends_at) {
    const days = daysUntil(b.trial_ends_at);
    type = 'info';
    text = days > 0 ? t('billing.trial', { count: days }) : t('billing.trialLastDay');
  } else {
    return null;
  }
  return <Alert data-testid="billing-banner" type={type} showIcon banner message={text} action={action} style={{ marginBottom: 16 }} />;
}
