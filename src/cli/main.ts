#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT, ExpectedError } from '../util/errors.js';
import { scrub } from '../util/secrets.js';
import { buildProgram } from './program.js';

function fail(message: string, code: number): void {
  process.stderr.write(`esr-bank-holidays: ${scrub(message)}\n`);
  process.exitCode = code;
}

// `plan | head` closes stdout early, and a closed terminal takes both (EIO, with a SIGHUP that lets
// the sync stop safely): what is left to print has no reader, which is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

try {
  await (await buildProgram(process.argv)).parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed its message. Asked-for help and the version are not errors; help shown
    // because no command was given is a usage error.
    const asked = ['commander.helpDisplayed', 'commander.version'].includes(error.code);
    process.exitCode = asked || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof ExpectedError) {
    fail(error.message, error.exitCode);
  } else {
    // A bug, not a person's mistake: one line, and the stack only when asked for.
    const e = error as Error;
    const verbose = /--log-level[= ](debug|trace)\b/.test(process.argv.join(' '));
    const detail = verbose ? (e?.stack ?? String(error)) : `${e?.message ?? String(error)} (run with --log-level debug for details)`;
    fail(`unexpected error: ${detail.replace(/\n\s*/g, verbose ? '\n  ' : ' ')}`, EXIT.failure);
  }
}
