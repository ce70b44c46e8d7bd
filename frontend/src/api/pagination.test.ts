import { describe, expect, it, vi } from 'vitest';
import { cursorRequest, type PageArgs } from './pagination';

/** A list of 45 rows served in cursor pages, as the API does. */
function server() {
  const rows = Array.from({ length: 45 }, (_, i) => ({ id: `r${i + 1}` }));
  return vi.fn(async ({ limit, cursor, filters }: PageArgs<{ q?: string }>) => {
    const matching = rows.filter((r) => !filters.q || r.id.includes(filters.q));
    const start = cursor ? Number(cursor) : 0;
    const data = matching.slice(start, start + limit);
    return { data, next_cursor: start + limit < matching.length ? String(start + limit) : null };
  });
}

describe('cursorRequest', () => {
  it('pages forward by next_cursor and offers one page past what it has seen', async () => {
    const fetchPage = server();
    const request = cursorRequest(fetchPage);

    const first = await request({ current: 1, pageSize: 20 });
    expect(first.data.map((r) => r.id).slice(0, 2)).toEqual(['r1', 'r2']);
    expect(first.total).toBe(21);

    const second = await request({ current: 2, pageSize: 20 });
    expect(second.data[0]?.id).toBe('r21');
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 20, cursor: '20', filters: {} });
    expect(second.total).toBe(41);

    const last = await request({ current: 3, pageSize: 20 });
    expect(last.data.map((r) => r.id)).toEqual(['r41', 'r42', 'r43', 'r44', 'r45']);
    expect(last.total).toBe(45);

    const back = await request({ current: 1, pageSize: 20 });
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 20, cursor: undefined, filters: {} });
    expect(back.data[0]?.id).toBe('r1');
  });

  it('starts over when the filters change, and drops empty ones', async () => {
    const fetchPage = server();
    const request = cursorRequest(fetchPage);
    await request({ current: 1, pageSize: 20 });
    await request({ current: 2, pageSize: 20 });
    const filtered = await request({ current: 2, pageSize: 20, q: '4', status: '' });
    // Page 2 of a new filter is unknown: it asks for page 1 of it.
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 20, cursor: undefined, filters: { q: '4' } });
    expect(filtered.data.map((r) => r.id)).toEqual(['r4', 'r14', 'r24', 'r34', 'r40', 'r41', 'r42', 'r43', 'r44', 'r45']);
    expect(filtered.total).toBe(10);
  });
});
