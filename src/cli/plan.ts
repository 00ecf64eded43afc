import { Command } from 'commander';
import { buildPlan } from '../planning/plan.js';
import { resolvePlanning } from '../sync/inputs.js';
import { planDocument } from '../views/json.js';
import { planTable, summaryLine } from '../views/table.js';
import { allOptions, createContext, type GlobalOptions } from './context.js';
import { addPlanningOptions, planningChoices, planningConfigFlags, type PlanningFlags } from './planning-options.js';

/** `plan`: which holidays fall in the leave year and which would be booked, without ESR. */
export function planCommand(): Command {
  const command = new Command('plan').description('show the bank holidays of your leave year and which would be booked (no ESR)');
  return addPlanningOptions(command).action(async (_options, cmd: Command) => {
    const options = allOptions<GlobalOptions & PlanningFlags>(cmd);
    const context = await createContext(options, planningConfigFlags(options));
    const planning = await resolvePlanning(context, planningChoices(options));
    const plan = buildPlan(planning.holidays, planning.rules);
    const division = context.config.division;
    if (context.json) {
      process.stdout.write(`${JSON.stringify(planDocument(plan, division, planning.source), null, 2)}\n`);
      return;
    }
    for (const line of planTable(plan)) context.out(line);
    context.out('');
    context.out(summaryLine(plan, division, planning.source));
  });
}
