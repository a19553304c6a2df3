/**
 * V8's optimizing tiers for a small input. On a folder below PARALLEL_READ_MIN_BYTES most of
 * `validate`'s functions run a few hundred times at most: compiling the hot ones with TurboFan
 * costs more CPU than it saves before the end. Up to Sparkplug (V8's baseline compiler,
 * `--max-opt=1`) the benchmark's public-style corpus takes less CPU and wall time; the
 * 10,002-object folder, which keeps the default, would not gain (docs/validate-performance.md).
 */

/** The flag set for a small input. */
const SMALL_INPUT_FLAG = '--max-opt=1';
/**
 * The defaults of V8 11.3 (Node 20) back: `--max-opt` below 3 also turns TurboFan off
 * (`DEFINE_WEAK_VALUE_IMPLICATION(max_opt < 3, turbofan, false)` in
 * https://github.com/v8/v8/blob/11.3.244/src/flags/flag-definitions.h), and a code cache written
 * under other flags is refused by the next process (test/cli/v8-tiers.test.ts).
 */
const DEFAULT_FLAGS = '--max-opt=999 --turbofan';

/**
 * Whether the tiers may be changed here: only on the V8 they were measured on (11.x, Node 20; the
 * defaults above are its own, and other versions have other tiers on by default), and not when
 * node was started with its own choice of tiers.
 */
function mayLowerTiers(): boolean {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return process.versions.v8.startsWith('11.') && !/--(?:max-opt|no-opt|turbofan|no-turbofan|maglev|no-maglev|sparkplug|no-sparkplug|jitless)\b/.test(given);
}

/**
 * Lowers V8's tiers until the returned function is called, which puts the defaults back (so that
 * the code cache written at exit is read by the next run, and a test process keeps its tiers).
 * Functions compiled before keep their code.
 */
export function lowerTiersForSmallInput(): () => void {
  if (!mayLowerTiers()) return () => undefined;
  // Loaded here: the other commands, and large inputs, do without it.
  const v8 = require('v8') as typeof import('v8');
  v8.setFlagsFromString(SMALL_INPUT_FLAG);
  return () => v8.setFlagsFromString(DEFAULT_FLAGS);
}
