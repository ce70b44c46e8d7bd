import { describe, expect, it } from 'vitest';
import { dayjs } from '../../lib/time';
import { journalQuery, manualQuery, settlementQuery } from './filters';

describe('finance list filters', () => {
  it('sends a picked date range as inclusive business dates, whatever the browser zone', () => {
    // ProTable hands the range as strings; a Dayjs picked late in the day stays on its day.
    expect(manualQuery({ dates: ['2024-07-01', '2024-07-31'], status: 'pending' }, 'Asia/Shanghai')).toEqual({
      from: '2024-07-01',
      to: '2024-07-31',
      status: 'pending',
    });
    expect(manualQuery({ dates: [dayjs('2024-07-01T23:30:00'), dayjs('2024-07-02T00:10:00')] }, 'America/New_York')).toEqual({
      from: '2024-07-01',
      to: '2024-07-02',
    });
  });

  it('reads an instant in the chain zone', () => {
    // 2024-06-30T17:00Z is already July 1st in Shanghai.
    expect(manualQuery({ dates: ['2024-06-30T17:00:00Z', '2024-07-01T15:59:00Z'] }, 'Asia/Shanghai')).toEqual({ from: '2024-07-01', to: '2024-07-01' });
  });

  it('leaves out an empty range and keeps the other filters', () => {
    expect(manualQuery({ entity_id: 'e1', created_by: 'u1' }, 'Asia/Shanghai')).toEqual({ entity_id: 'e1', created_by: 'u1' });
  });

  it('trims the journal account code and source, dropping blanks', () => {
    expect(journalQuery({ account_code: ' 2221.01 ', source_type: '  ', store_id: 's1', dates: ['2024-05-01', '2024-05-31'] }, 'Asia/Shanghai')).toEqual({
      account_code: '2221.01',
      store_id: 's1',
      from: '2024-05-01',
      to: '2024-05-31',
    });
  });

  it('sends a picked month as YYYY-MM', () => {
    expect(settlementQuery({ month: dayjs('2024-09-15'), status: 'draft' })).toEqual({ month: '2024-09', status: 'draft' });
    expect(settlementQuery({ month: '2024-10' })).toEqual({ month: '2024-10' });
    expect(settlementQuery({ franchisee_id: 'f1' })).toEqual({ franchisee_id: 'f1' });
  });
});
