import type { DemoCatalog } from '../demo-catalog.ts';
import type { SwarmflowClient } from '../sdk.ts';
import { printCycleOutcome } from './cycle-output.ts';

/**
 * The demo's last part: one improvement cycle on the sample routine. A few more runs give it
 * evidence (with the swarm's own run); model selection proposes the cheaper configured writer; the
 * cycle evaluates the baseline and the candidate on the same cases built from those runs, and the
 * decision rule decides. The stack is thrown away afterwards, so the cycle may promote on its own
 * (by default a proposal waits for a person).
 */
export async function showDemoImprovementCycle(
  client: SwarmflowClient,
  catalog: DemoCatalog,
  say: (...lines: string[]) => void,
): Promise<void> {
  const { routineId, inputs } = catalog.improvement;
  say(
    '',
    `Improvement: one cycle on ${routineId}, after ${inputs.length} more runs of it as evidence`,
    '(the policy may promote here; by default a better candidate waits for `swarmflow improve approve`).',
  );
  const runs = await Promise.all(inputs.map((input) => client.startRun({ routineId, input })));
  const ended = await Promise.all(runs.map(({ runId }) => client.awaitRun(runId)));
  const failed = ended.filter((outcome) => outcome.status !== 'completed');
  if (failed.length > 0) say(`  ${failed.length} of the evidence runs did not complete`);
  const { cycleId } = await client.improvement.start({
    routineId,
    cycle: 'demo',
    autoPromote: true,
    optimizers: ['modelSelection'],
  });
  const outcome = await client.improvement.awaitCycle(cycleId, { untilParked: true });
  printCycleOutcome(outcome, null, 'The demo stack ends here and the proposal with it.');
}
