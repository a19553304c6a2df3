/**
 * The `habr-k8s` bin's dispatcher: finds the command, answers `--help` and `--version`, and turns
 * what a command throws into one line per problem (a stack trace only with DEBUG=1). Exit codes:
 * 0 clean, 1 findings or errors, 2 usage errors. It imports no command: each entry of the bin
 * (main.ts, validate-main.ts) passes the commands it offers.
 */
import * as fs from 'fs';
import { describeError } from './command';
import { CliCommand, CommandIo } from './io';
import { packageVersion } from './package-version';

const BIN = 'habr-k8s';

/** The text of `habr-k8s --help`: usage, then each command's summary. */
export function generalHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `usage: ${BIN} <command> [options]      (${BIN} <command> --help for its options)`,
    '',
    'commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'options:',
    '  -h, --help     this text',
    '  --version      the version of habr-k8s',
    '',
    'Exit codes: 0 clean, 1 findings or errors, 2 a wrong command line. DEBUG=1 adds stack traces to errors.',
  ].join('\n');
}

/** The command whose words start `args` (the longest such name), and the arguments after them. */
export function findCommand(args: readonly string[], commands: readonly CliCommand[]): { command: CliCommand; rest: readonly string[] } | undefined {
  const matches = commands
    .map((command) => ({ command, words: command.name.split(' ') }))
    .filter(({ words }) => words.every((word, i) => args[i] === word))
    .sort((a, b) => b.words.length - a.words.length);
  return matches.length ? { command: matches[0].command, rest: args.slice(matches[0].words.length) } : undefined;
}

/**
 * The lines that report `error`: every problem of a props error or of an entry esbuild cannot
 * bundle (both have `problems`) on its own line, as its message lists them; anything else one line
 * ({@link describeError}). Errors are
 * recognised by their fields, not their class: an app's entry may bundle its own copy of this library.
 */
export function errorLines(error: unknown, cwd: string): string[] {
  const problems = (error as { problems?: unknown } | undefined)?.problems;
  if (error instanceof Error && Array.isArray(problems) && problems.length) return error.message.split('\n');
  return [describeError(error, cwd)];
}

/** 2 for a usage error, 1 for anything else: read from the error's `exitCode` (lib/errors.ts). */
function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown } | undefined)?.exitCode;
  return code === 2 ? 2 : 1;
}

/** Runs the command line `args` (without `habr-k8s` itself) and returns its exit code. */
export async function dispatch(args: readonly string[], io: CommandIo, commands: readonly CliCommand[]): Promise<number> {
  if (args.length === 0) {
    io.err(generalHelp(commands));
    return 2;
  }
  if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    io.out(generalHelp(commands));
    return 0;
  }
  if (args[0] === '--version') {
    io.out(packageVersion());
    return 0;
  }
  const found = findCommand(args, commands);
  if (!found) {
    io.err(`${BIN}: unknown command ${args[0]}; the commands are ${commands.map((command) => command.name).join(', ')} (${BIN} --help)`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    for (const line of errorLines(error, io.cwd)) io.err(`${BIN} ${command.name}: ${line}`);
    const exitCode = exitCodeOf(error);
    if (exitCode === 2) io.err(`see ${BIN} ${command.name} --help`);
    if (io.env.DEBUG && error instanceof Error && error.stack) io.err(error.stack);
    return exitCode;
  }
}

/** The folder the command was started in: where the user ran npm for an npm script (INIT_CWD), not the package's that npm moves to. */
function processCwd(): string {
  return process.env.npm_lifecycle_event && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
}

/** The io of this process: its folder ({@link processCwd}), environment, stdout and stderr. */
export function processIo(): CommandIo {
  return {
    cwd: processCwd(),
    env: process.env,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    interactive: Boolean(process.stderr.isTTY),
  };
}

/**
 * The io of this process writing straight to its file descriptors, each call one synchronous write,
 * without `process.stdout` and `process.stderr`: their streams cost a short command several
 * milliseconds to set up on a pipe or a terminal (docs/validate-performance.md). Once a command
 * has returned, all it printed is out. A reader that stops early (`| head`) ends the process with
 * its exit code so far, as {@link runCli} does.
 */
export function directProcessIo(): CommandIo {
  return {
    cwd: processCwd(),
    env: process.env,
    out: (text) => writeAll(1, `${text}\n`),
    err: (text) => writeAll(2, `${text}\n`),
    // Only when asked: process.stderr is the stream this io does without.
    get interactive() {
      return Boolean(process.stderr.isTTY);
    },
  };
}

/** A value nobody changes: Atomics.wait on it sleeps this thread for the time given. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `text` to the file descriptor `fd`, waiting for a full non-blocking pipe to drain. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let written = 0; written < bytes.length;) {
    try {
      written += fs.writeSync(fd, bytes, written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(PAUSE, 0, 0, 1);
    }
  }
}

/** Runs `args` with `commands` in this process and sets its exit code: what the bin's entries do. */
export async function runCli(args: readonly string[], commands: readonly CliCommand[]): Promise<void> {
  // A reader that stops early (`habr-k8s diff | head`) is no error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await dispatch(args, processIo(), commands);
}
