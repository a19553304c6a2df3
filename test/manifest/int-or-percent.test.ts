import { isZeroIntOrPercent } from '../../lib/manifest/int-or-percent';

describe('isZeroIntOrPercent', () => {
  test.each([0, '0', '0%', '00%', '000'])('%j is zero', (value) => {
    expect(isZeroIntOrPercent(value)).toBe(true);
  });
  test.each([1, '1', '10%', '100%', '01%', '', '%', undefined, null, '0.0%'])('%j is not zero', (value) => {
    expect(isZeroIntOrPercent(value)).toBe(false);
  });
});
