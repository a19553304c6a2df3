/** How the command-line entry points report errors: one line, an exit code, a stack trace only with DEBUG=1. */
import * as path from 'path';
import { UserError } from '../errors';

export { UsageError, UserError } from '../errors';

const ERRNO_ADVICE: Readonly<Record<string, string>> = {
  EACCES: 'permission denied; make it writable for you, or run as its owner',
  EPERM: 'operation not permitted; make it writable for you, or run as its owner',
  EROFS: 'the file system is read-only; run from a writable checkout',
  ENOSPC: 'no space left on the device; free some space and run again',
  EDQUOT: 'disk quota exceeded; free some space and run again',
  ENOTDIR: 'a part of the path is a file, not a folder; move that file away',
  EISDIR: 'it is a folder where a file belongs; move the folder away',
  ENOENT: 'it does not exist',
  EXDEV: 'it is on another file system than the project; keep the output folders on one file system',
  EMFILE: 'too many open files; close some programs and run again',
};

/** The paths of a file system error, shown relative to `root` when inside it. */
function shown(file: string, root: string | undefined): string {
  if (!root) return file;
  const relative = path.relative(root, path.resolve(root, file));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** One line for `error`: a file system error names its path and what to do; anything else is its message's first line. */
export function describeError(error: unknown, root?: string): string {
  const errno = error as NodeJS.ErrnoException & { dest?: string };
  if (errno && typeof errno.code === 'string' && typeof errno.path === 'string') {
    const target = errno.dest ? `${shown(errno.path, root)} → ${shown(errno.dest, root)}` : shown(errno.path, root);
    const advice = ERRNO_ADVICE[errno.code] ?? errno.message.split('\n')[0];
    return `cannot ${errno.syscall ?? 'access'} ${target}: ${advice} (${errno.code})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

/**
 * Runs a command's body: a thrown error becomes one line on stderr, prefixed with the command's
 * name, and exit code 1 ({@link UsageError}: 2); with DEBUG=1 the stack trace follows.
 */
export function runCommand(name: string, body: () => void, options: { root?: string } = {}): void {
  try {
    body();
  } catch (error) {
    console.error(`${name}: ${describeError(error, options.root)}`);
    if (process.env.DEBUG && error instanceof Error && error.stack) console.error(error.stack);
    process.exitCode = error instanceof UserError ? error.exitCode : 1;
  }
}
