/** An error a person can act on: printed as one line, no stack, with its exit code. */
export class ExpectedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input or usage: exit 2. */
export class UsageError extends ExpectedError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Something failed at run time: exit 1. */
export class RuntimeFailure extends ExpectedError {
  constructor(message: string) {
    super(message, 1);
  }
}

export const EXIT = { ok: 0, failure: 1, usage: 2, loginRefused: 3, interrupted: 130 } as const;

/** The person pressed Ctrl-C: the run stopped where it safely could. */
export class Interrupted extends ExpectedError {
  constructor(message = 'interrupted (Ctrl-C): stopped before booking anything more') {
    super(message, EXIT.interrupted);
  }
}
