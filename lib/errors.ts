/** Errors a user can fix: the command-line layer prints them as one line with their exit code. */

/** An error the user can fix; its message is one line naming the file or value and what to do. */
export class UserError extends Error {
  /** 1 for a problem with files or content, 2 for a wrong command line or environment value. */
  readonly exitCode: number = 1;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A wrong argument or environment value (exit code 2). */
export class UsageError extends UserError {
  override readonly exitCode = 2;
}
