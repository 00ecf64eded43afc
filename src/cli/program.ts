import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { LOG_LEVELS } from '../util/logger.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { planCommand } from './plan.js';
import { sandboxCommand } from './sandbox.js';
import { scheduleCommand } from './schedule.js';
import { syncCommand } from './sync.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('esr-bank-holidays')
    .description('Book the bank holidays of your NHS leave year into ESR as annual leave, once each.')
    .version(packageJson.version, '-V, --version')
    .option('--config <file>', 'JSON config file (also ESR_CONFIG)')
    .addOption(new Option('--log-level <level>', 'log detail on stderr').choices(LOG_LEVELS).default('info'))
    .option('--json', 'print one JSON document on stdout')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const commands = [planCommand(), syncCommand(), demoCommand(), doctorCommand(), scheduleCommand(), sandboxCommand()];
  for (const command of commands) {
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}
