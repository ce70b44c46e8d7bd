import { describe, expect, it } from 'vitest';
import { createUuidV7, uuidv7, uuidV7Time } from './uuidv7';

const shape = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('has the version 7 and the RFC 9562 variant bits', () => {
    for (let i = 0; i < 200; i += 1) {
      const id = uuidv7();
      expect(id).toMatch(shape);
      const hex = id.replace(/-/g, '');
      expect(parseInt(hex[12] ?? '', 16)).toBe(7);
      expect(parseInt(hex[16] ?? '', 16) >> 2).toBe(0b10);
    }
  });

  it('carries the time in its first 48 bits', () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const make = createUuidV7(() => at);
    expect(uuidV7Time(make())).toBe(at);
  });

  it('counts up within one millisecond, and sorts in the order made', () => {
    const make = createUuidV7(() => 1_700_000_000_000);
    const ids = Array.from({ length: 5000 }, () => make());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays monotonic when the clock steps back', () => {
    let clock = 1_700_000_000_500;
    const make = createUuidV7(() => clock);
    const first = make();
    clock -= 400;
    const second = make();
    expect(second > first).toBe(true);
    expect(uuidV7Time(second)).toBeGreaterThanOrEqual(uuidV7Time(first));
  });

  it('moves to the next millisecond when the counter is spent', () => {
    const make = createUuidV7(
      () => 1_700_000_000_000,
      (b) => b.fill(0xff),
    );
    const ids = Array.from({ length: 5000 }, () => make());
    expect([...ids].sort()).toEqual(ids);
    expect(uuidV7Time(ids.at(-1) ?? '')).toBeGreaterThan(1_700_000_000_000);
  });
});
