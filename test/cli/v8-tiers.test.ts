/**
 * lib/cli/v8-tiers.ts: the tiers lowered for a small input change V8's flags, and putting them back
 * gives exactly the flags the process had. V8's code cache records a hash of the flags it was
 * written under, and the next process refuses one whose hash is not its own: the cache written at
 * the exit of a small run must be the one written without the change.
 */
import * as vm from 'vm';
import { lowerTiersForSmallInput } from '../../lib/cli/v8-tiers';

const source = 'function add(a, b) { return a + b; } add(1, 2);';

function codeCache(): Buffer {
  return new vm.Script(source, { filename: 'tiers.js' }).createCachedData();
}

describe('lowerTiersForSmallInput', () => {
  it('changes the flags until it is undone, then leaves them as they were', () => {
    const before = codeCache();
    const restore = lowerTiersForSmallInput();
    let lowered: Buffer;
    try {
      lowered = codeCache();
    } finally {
      restore();
    }
    expect(lowered.equals(before)).toBe(false);
    expect(codeCache().equals(before)).toBe(true);
  });
});
