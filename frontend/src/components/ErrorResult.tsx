import { Button, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../api/problem';
import { describeError } from './describe-error';

/** ForbiddenResult is the 403 page: a route the user may not open, or an API 403. */
export function ForbiddenResult() {
  const { t } = useTranslation();
  return <Result status="403" title={t('result.forbiddenTitle')} subTitle={t('result.forbidden')} />;
}

export function NotFoundResult() {
  const { t } = useTranslation();
  return <Result status="404" title={t('result.notFoundTitle')} subTitle={t('result.notFound')} />;
}

/**
 * ErrorResult draws a failed load in place of the page: 403 as "no
 * access", 404 as "not found", anything else with its message, the
 * request id for support and a retry.
 */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const e = asApiError(error);
  if (e.status === 403) return <ForbiddenResult />;
  if (e.status === 404) return <NotFoundResult />;
  return (
    <Result
      status="error"
      title={t('result.errorTitle')}
      subTitle={
        <>
          {describeError(t, e)}
          {e.requestId && (
            <Typography.Paragraph type="secondary" copyable={{ text: e.requestId }}>
              {t('result.requestId', { id: e.requestId })}
            </Typography.Paragraph>
          )}
        </>
      }
      extra={onRetry && <Button onClick={onRetry}>{t('actions.retry')}</Button>}
    />
  );
}
