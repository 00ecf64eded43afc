import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { EXIT } from '../util/errors.js';
import { allOptions, createContext, type GlobalOptions } from './context.js';

interface ScheduleFlags extends GlobalOptions {
  at: string;
  dir: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function clock(value: string): string {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new InvalidArgumentError('must be HH:MM, e.g. 07:00');
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
}

export interface ScheduleEntries {
  cron: string;
  systemd: { service: string; timer: string };
  schtasks: string;
  notes: string[];
}

/** Ready-to-paste entries that run `sync --yes` at the leave-year reset. */
export function scheduleEntries(leaveYearStart: string, at: string, dir: string, stateDir: string): ScheduleEntries {
  const [month, day] = leaveYearStart.split('-').map(Number) as [number, number];
  const [hour, minute] = at.split(':').map(Number) as [number, number];
  const log = join(stateDir, 'sync.log');
  const command = 'npx esr-bank-holidays sync --yes';
  return {
    cron: `${minute} ${hour} ${day} ${month} * cd ${JSON.stringify(dir)} && ${command} >> ${JSON.stringify(log)} 2>&1`,
    systemd: {
      service: [
        '# ~/.config/systemd/user/esr-bank-holidays.service',
        '[Unit]',
        'Description=Book the leave year\'s bank holidays into ESR',
        'Wants=network-online.target',
        'After=network-online.target',
        '',
        '[Service]',
        'Type=oneshot',
        `WorkingDirectory=${dir}`,
        `ExecStart=/usr/bin/env ${command}`,
      ].join('\n'),
      timer: [
        '# ~/.config/systemd/user/esr-bank-holidays.timer',
        '[Unit]',
        'Description=Book bank holidays into ESR at the leave-year reset',
        '',
        '[Timer]',
        `OnCalendar=*-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${at}:00`,
        '# Run at the next start-up if the machine was off at the time.',
        'Persistent=true',
        '',
        '[Install]',
        'WantedBy=timers.target',
        '',
        '# then: systemctl --user daemon-reload && systemctl --user enable --now esr-bank-holidays.timer',
      ].join('\n'),
    },
    schtasks: `schtasks /Create /TN "esr-bank-holidays" /SC MONTHLY /M ${MONTHS[month - 1]} /D ${day} /ST ${at} /TR "cmd /c cd /d \\"${dir}\\" && ${command} >> \\"${log}\\" 2>&1"`,
    notes: [
      `Credentials: put ESR_USERNAME and ESR_PASSWORD in ${dir}/.env (chmod 600 .env) or in the job's environment; never on the command line, where other users and logs can see them.`,
      `Log: cron and schtasks append to the log file shown; systemd keeps it in the journal (journalctl --user -u esr-bank-holidays). The journal of bookings is ${stateDir}/journal.jsonl.`,
      `Exit codes: ${EXIT.ok} all booked or already there; ${EXIT.failure} a booking failed or ESR went away (the log says which days; running again books only what is missing); ${EXIT.usage} bad config or input; ${EXIT.loginRefused} ESR refused the login (fix the password before the next run: ESR locks accounts).`,
      'Re-running is safe: nothing is booked twice. A monthly run as well picks up holidays GOV.UK announces during the year.',
      'Check the set-up once by hand first: npx esr-bank-holidays doctor --esr, then sync --dry-run.',
      `Be told when it fails: put ESR_NOTIFY_URL=<address> in ${dir}/.env (or notify.url in your config file); sync then POSTs one JSON document {"ok", "exitCode", "text", "report"} there, as notify.on says: failure (the default: exit code not 0), change (booked something, or failed) or always. The address is a secret like the password: keep it off the command line.`,
      'A Slack-style incoming webhook, or a Teams workflow that posts the "text" field, shows "text", a one-line summary, as it is; for ntfy, add ?tpl=1&m={{.text}} to the topic\'s address. "report" is the sync --json document. Test it now: npx esr-bank-holidays doctor --notify.',
    ],
  };
}

/** `schedule`: print cron, systemd and Windows Task Scheduler entries for the leave-year reset. */
export function scheduleCommand(): Command {
  return new Command('schedule')
    .description('print ready-to-paste cron, systemd and Windows Task Scheduler entries that run sync --yes at the leave-year reset')
    .option('--at <HH:MM>', 'time of day to run', clock, '07:00')
    .option('--dir <path>', 'folder the job runs in (where its .env is)', process.cwd())
    .action(async (_options, cmd: Command) => {
      const options = allOptions<ScheduleFlags>(cmd);
      const context = await createContext(options);
      const entries = scheduleEntries(context.config.leaveYearStart, options.at, options.dir, context.stateDir);
      if (context.json) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      const out = (line = '') => process.stdout.write(`${line}\n`);
      out(`Run "sync --yes" at ${options.at} on ${context.config.leaveYearStart} (MM-DD), when your leave year resets.`);
      out();
      out('crontab (crontab -e):');
      out(`  ${entries.cron}`);
      out();
      out('systemd (a user service and timer):');
      for (const line of `${entries.systemd.service}\n\n${entries.systemd.timer}`.split('\n')) out(`  ${line}`);
      out();
      out('Windows Task Scheduler (in a Command Prompt):');
      out(`  ${entries.schtasks}`);
      out();
      for (const note of entries.notes) out(`- ${note}`);
    });
}
