import { describe, expect, it } from 'vitest';
import { parseAbsenceRow, parseAbsenceRows } from '../../src/esr/absence-rows.js';

const parse = (text: string) => parseAbsenceRow(text, ['Bank Holiday'], ['Rejected', 'Cancelled']);

describe('absence rows', () => {
  it('reads dates, reason and status from a row by its text', () => {
    expect(parse('25/05/2026\t25/05/2026\tBank Holiday\tApproved')).toEqual({
      start: '2026-05-25',
      end: '2026-05-25',
      reason: 'Bank Holiday',
      status: 'Approved',
    });
  });

  it('copes with odd whitespace, case and column order', () => {
    expect(parse('  Awaiting   Approval \n bank  holiday\n 03/04/2026 ')).toEqual({
      start: '2026-04-03',
      end: '2026-04-03',
      reason: 'Bank Holiday',
      status: 'Awaiting Approval',
    });
    expect(parse('Annual Leave 21/12/2026 - 02/01/2027 7.5 hours CANCELLED')).toMatchObject({
      start: '2026-12-21',
      end: '2027-01-02',
      reason: 'Annual Leave - 7.5 hours',
      status: 'Cancelled',
    });
  });

  it('keeps a row whose status it cannot read as Unknown, so it still blocks a booking', () => {
    expect(parse('01/06/2026 01/06/2026 Sickness')).toMatchObject({ reason: 'Sickness', status: 'Unknown' });
  });

  it('drops rows without a real date', () => {
    expect(parseAbsenceRows(['No absences found', '31/02/2026 Bank Holiday Approved', ''], ['Bank Holiday'], [])).toEqual([]);
  });
});
