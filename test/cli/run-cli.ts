/** Runs the bin's dispatcher in this process, its lines collected: what `habr-k8s <args>` would print and exit with. */
import { dispatch } from '../../lib/cli/dispatch';
import { CliCommand } from '../../lib/cli/io';
import { COMMANDS } from '../../lib/cli/commands';

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; commands?: readonly CliCommand[] } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const exitCode = await dispatch(args, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    out: (text) => out.push(`${text}\n`),
    err: (text) => err.push(`${text}\n`),
    interactive: false,
  }, options.commands ?? COMMANDS);
  return { exitCode, stdout: out.join(''), stderr: err.join('') };
}
