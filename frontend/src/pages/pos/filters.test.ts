import { describe, expect, it } from 'vitest';
import { dayjs } from '../../lib/time';
import { shiftQuery } from './filters';

describe('shiftQuery', () => {
  it('sends the picked days as inclusive business dates beside the pickers', () => {
    expect(shiftQuery({ register_id: 'r1', cashier_id: 'c1', status: 'closed', dates: ['2024-03-01', '2024-03-02'] }, 'Asia/Shanghai')).toEqual({
      register_id: 'r1',
      cashier_id: 'c1',
      status: 'closed',
      from: '2024-03-01',
      to: '2024-03-02',
    });
  });

  it('keeps a day picked late in the evening on that day', () => {
    expect(shiftQuery({ dates: [dayjs('2024-03-01T23:59:00'), dayjs('2024-03-01T23:59:00')] }, 'Asia/Shanghai')).toEqual({ from: '2024-03-01', to: '2024-03-01' });
  });

  it('sends no dates without a range', () => {
    expect(shiftQuery({ register_id: 'r1' }, 'Asia/Shanghai')).toEqual({ register_id: 'r1' });
  });
});
