/**
 * Semantic diff of two manifest folders: `node scripts/run.js scripts/diff.ts <before-dir> <after-dir>`.
 * Prints the differences and exits 0 whether or not there are any; exits 1 on a usage or read error.
 */
import { diffFolders, formatDiff } from '../lib/diff/diff';

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runDiffCommand(args: readonly string[]): CommandResult {
  if (args.length !== 2) {
    return { exitCode: 1, stdout: '', stderr: 'usage: node scripts/run.js scripts/diff.ts <before-dir> <after-dir>\n' };
  }
  const [beforeDir, afterDir] = args;
  try {
    return { exitCode: 0, stdout: formatDiff(diffFolders(beforeDir, afterDir)), stderr: '' };
  } catch (error) {
    return { exitCode: 1, stdout: '', stderr: `diff: ${(error as Error).message}\n` };
  }
}

// Run only as the entry point (scripts/run.js sets argv[1] to it), not when a test imports this file.
if (process.argv[1] === __filename) {
  const result = runDiffCommand(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
