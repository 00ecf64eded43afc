import { Command } from 'commander';
import { isObject, plainText, type Layer } from '../config/layers.js';
import { stateDirFor } from '../config/state-dir.js';
import { prefetchFeed, type FeedRequest, type Prefetch } from '../holidays/prefetch.js';
import { allOptions, createContext, readLayers, type GlobalOptions } from './context.js';
import { addPlanningOptions, planningChoices, planningConfigFlags, type PlanningFlags } from './planning-options.js';

const isHttpUrl = (value: unknown): value is string => {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.href === value;
};

/**
 * The feed's GET as the config's layers name it, read before the config is checked, if they name
 * it as the check would pass it unchanged (a URL written in full, a plain state directory, numbers
 * in range); else undefined, and the GET waits for the check.
 */
export function feedNamedIn(merged: Layer, env: NodeJS.ProcessEnv): FeedRequest | undefined {
  const { bankHolidaysUrl: url, http, stateDir } = merged;
  if (!isHttpUrl(url)) return undefined;
  if (!plainText(stateDir) || !isObject(http)) return undefined;
  // The check allows no other key in http.
  if (Object.keys(http).some((key) => key !== 'timeoutSeconds' && key !== 'tries')) return undefined;
  const { timeoutSeconds, tries } = http;
  if (typeof timeoutSeconds !== 'number' || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) return undefined;
  if (typeof tries !== 'number' || !Number.isInteger(tries) || tries < 1 || tries > 10) return undefined;
  return { url, stateDir: stateDirFor(stateDir, env), timeoutMs: timeoutSeconds * 1000, tries };
}

/** What `plan` needs once the feed's GET is on its way: zod and the planner load while GOV.UK answers. */
async function afterRequest() {
  const [inputs, planner, json, table] = await Promise.all([
    import('../sync/inputs.js'),
    import('../planning/plan.js'),
    import('../views/json.js'),
    import('../views/table.js'),
  ]);
  return { ...inputs, ...planner, ...json, ...table };
}

/** `plan`: which holidays fall in the leave year and which would be booked, without ESR. */
export function planCommand(): Command {
  const command = new Command('plan').description('show the bank holidays of your leave year and which would be booked (no ESR)');
  return addPlanningOptions(command).action(async (_options, cmd: Command) => {
    const options = allOptions<GlobalOptions & PlanningFlags>(cmd);
    const flags = planningConfigFlags(options);
    const { env, layers } = await readLayers(options, flags);
    const named = options.offline ? undefined : feedNamedIn(layers.merged, env);
    const prefetched: Prefetch | undefined = named && prefetchFeed(named);
    try {
      const [context, { resolvePlanning, buildPlan, planDocument, planTable, summaryLine }] = await Promise.all([
        createContext(options, flags, env, { dotenv: false, layers }),
        afterRequest(),
      ]);
      const planning = await resolvePlanning(context, planningChoices(options), prefetched);
      const plan = buildPlan(planning.holidays, planning.rules);
      const division = context.config.division;
      if (context.json) {
        process.stdout.write(`${JSON.stringify(planDocument(plan, division, planning.source), null, 2)}\n`);
        return;
      }
      for (const line of planTable(plan)) context.out(line);
      context.out('');
      context.out(summaryLine(plan, division, planning.source));
    } finally {
      // A run that fails before it takes the answer (a config the check refuses) does not wait for GOV.UK.
      prefetched?.abort();
    }
  });
}
