import { parseQuantity } from '../../lib/manifest/quantity';

describe('parseQuantity', () => {
  it.each([
    ['1', 1], ['0', 0], ['500m', 0.5], ['0.5', 0.5], ['.5', 0.5], ['2.', 2], ['100n', 100e-9], ['5u', 5e-6],
    ['1k', 1e3], ['1M', 1e6], ['2G', 2e9], ['1T', 1e12], ['1P', 1e15], ['1E', 1e18],
    ['1Ki', 1024], ['128Mi', 128 * 2 ** 20], ['1.5Gi', 1.5 * 2 ** 30], ['1Ti', 2 ** 40], ['1Pi', 2 ** 50], ['1Ei', 2 ** 60],
    ['1e3', 1000], ['1E3', 1000], ['12e-3', 0.012], ['5e+2', 500], ['+1', 1], ['-1', -1],
  ])('parses %s', (text, expected) => {
    expect(parseQuantity(text)).toBeCloseTo(expected, 12);
  });

  it('accepts plain numbers as YAML writes them', () => {
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity(0.25)).toBe(0.25);
    expect(parseQuantity(Number.NaN)).toBeUndefined();
  });

  it.each(['', ' 1', '1 ', '1Gb', '1gi', '1K', 'm', '1e', '1.2.3', 'Mi', '1 Gi', '--1', '1mi', 'one'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  it('keeps binary and decimal suffixes apart', () => {
    expect(parseQuantity('1Mi')).toBeGreaterThan(parseQuantity('1M')!);
    expect(parseQuantity('1000Mi')).toBeLessThan(parseQuantity('1Gi')!);
  });
});
