import { ProTable, type ActionType, type ProTableProps } from '@ant-design/pro-components';
import { useMemo, useRef, useState, type MutableRefObject } from 'react';
import { cursorRequest, type CursorPage, type PageArgs } from '../api/pagination';
import { asApiError } from '../api/problem';
import { ErrorResult, ForbiddenResult } from './ErrorResult';

type Props<T extends Record<string, unknown>, F extends Record<string, unknown>> = Omit<
  ProTableProps<T, F>,
  'request' | 'dataSource' | 'onRequestError'
> & {
  /** Loads one cursor page; filters are the search form's values and `params`. */
  fetchPage: (args: PageArgs<F>) => Promise<CursorPage<T>>;
  actionRef?: MutableRefObject<ActionType | undefined>;
};

/**
 * CursorTable is ProTable over one of the API's cursor-paginated lists:
 * pages forward by next_cursor (the pages seen, and the next), resets when
 * the filters change, and draws a refused load as the 403 page and any
 * other failure with its retry, instead of an empty table.
 */
export function CursorTable<T extends Record<string, unknown>, F extends Record<string, unknown> = Record<string, unknown>>({
  fetchPage,
  actionRef,
  ...props
}: Props<T, F>) {
  const latest = useRef(fetchPage);
  latest.current = fetchPage;
  const request = useMemo(() => cursorRequest<T, F>((args) => latest.current(args)), []);
  const [error, setError] = useState<unknown>();
  const ownRef = useRef<ActionType>();
  const ref = actionRef ?? ownRef;

  if (error !== undefined && asApiError(error).isForbidden) return <ForbiddenResult />;
  return (
    <>
      {error !== undefined && (
        <ErrorResult
          error={error}
          onRetry={() => {
            setError(undefined);
            void ref.current?.reload();
          }}
        />
      )}
      <ProTable<T, F>
        rowKey="id"
        actionRef={ref}
        // A cursor list knows no total: the pager shows pages, not "1-20 of N".
        pagination={{ defaultPageSize: 20, showSizeChanger: false, showTotal: () => null }}
        options={{ density: false, reload: true, setting: true }}
        scroll={{ x: 'max-content' }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        {...props}
        style={error !== undefined ? { display: 'none' } : props.style}
        request={async (params) => {
          try {
            const result = await request(params);
            setError(undefined);
            return result;
          } catch (e) {
            setError(e);
            return { data: [], success: false, total: 0 };
          }
        }}
      />
    </>
  );
}
