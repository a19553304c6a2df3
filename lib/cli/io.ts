/** What a command of the `habr-k8s` bin is given, and what it is: the contract between the commands and the dispatcher. */

/** The world a command runs in: its folder, its environment, and where its lines go. */
export interface CommandIo {
  /** The folder the command was started in: every path argument and every path it prints is relative to it. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Writes one line (or several, joined by newlines) to standard output. */
  out(text: string): void;
  /** Writes one line (or several) to standard error. */
  err(text: string): void;
  /** Whether standard error is a terminal: live progress lines only then, quiet in CI logs. */
  readonly interactive: boolean;
}

/**
 * One command of the bin. `run` returns the exit code: 0 clean, 1 findings or errors, 2 usage
 * errors. It throws a `UserError` (lib/errors.ts) for a problem the user can fix; the dispatcher
 * prints it as one line, with a stack trace only under DEBUG=1.
 */
export interface CliCommand {
  /** The words that name it after `habr-k8s`, e.g. `synth` or `import compose`. */
  readonly name: string;
  /** One line for `habr-k8s --help`. */
  readonly summary: string;
  /** The whole text of `habr-k8s <name> --help`: usage line, then one line per option. */
  readonly help: string;
  run(args: readonly string[], io: CommandIo): Promise<number>;
}
