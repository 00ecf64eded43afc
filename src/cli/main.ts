#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT, ExpectedError } from '../util/errors.js';
import { scrub } from '../util/secrets.js';
import { buildProgram } from './program.js';

function fail(message: string, code: number): void {
  process.stderr.write(`esr-bank-holidays: ${scrub(message)}\n`);
  process.exitCode = code;
}

try {
  await (await buildProgram(process.argv)).parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed its message; help and version are not errors.
    const quiet = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = quiet || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof ExpectedError) {
    fail(error.message, error.exitCode);
  } else {
    const e = error as Error;
    fail(`unexpected error: ${e?.stack ?? String(error)}`, EXIT.failure);
  }
}
