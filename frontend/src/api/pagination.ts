// The API's lists are cursor pages (`limit`, `cursor` → `next_cursor`);
// ProTable pages by number. cursorRequest bridges them: it remembers the
// cursor that opens each page it has seen, starts over when filters
// change, and reports a total one past what is known while more pages
// exist, so the pager offers exactly "the pages seen, and the next one".

export interface CursorPage<T> {
  data: T[];
  next_cursor?: string | null;
}

export interface PageArgs<F> {
  limit: number;
  cursor: string | undefined;
  filters: F;
}

export interface TableParams {
  current?: number;
  pageSize?: number;
  [filter: string]: unknown;
}

export interface TableResult<T> {
  data: T[];
  success: boolean;
  total: number;
}

export function cursorRequest<T, F extends Record<string, unknown> = Record<string, unknown>>(
  fetchPage: (args: PageArgs<F>) => Promise<CursorPage<T>>,
): (params: TableParams) => Promise<TableResult<T>> {
  let filtersKey: string | undefined;
  let cursors: (string | undefined)[] = [undefined]; // cursors[i] opens page i+1

  return async ({ current = 1, pageSize = 20, ...rest }) => {
    const filters = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== '')) as F;
    const nextKey = JSON.stringify([filters, pageSize]);
    if (nextKey !== filtersKey) {
      filtersKey = nextKey;
      cursors = [undefined];
    }
    const page = Math.min(current, cursors.length);
    const result = await fetchPage({ limit: pageSize, cursor: cursors[page - 1], filters });
    if (result.next_cursor) cursors[page] = result.next_cursor;
    const known = (page - 1) * pageSize + result.data.length;
    return { data: result.data, success: true, total: result.next_cursor ? known + 1 : known };
  };
}
