/**
 * Test-only fault injection. With `HABR_SYNTH_CRASH_AT=<n>` in the environment, the process kills
 * itself with SIGKILL at its n-th crash point. A crash point stands just before every file system
 * change of an output commit and of its recovery, so a test can stop the writer at each step in
 * turn and check what a crash there leaves behind. Never set it outside tests.
 */
const crashAt = Number(process.env.HABR_SYNTH_CRASH_AT ?? 0);
let reached = 0;

/** Marks the next step of a commit; kills the process here when the test hook asks for it. */
export function crashPoint(): void {
  reached++;
  if (reached === crashAt) process.kill(process.pid, 'SIGKILL');
}
