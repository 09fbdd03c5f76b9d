import type { ApplicationFailure } from '@temporalio/activity';
import { SwarmFailureType, swarmRefusal } from './failures.ts';
import type { RulePlan } from './rule-planner.ts';

/**
 * The refusal of a rule-based plan that cannot run: no routine like the goal (naming the
 * nearest ones with their scores), or routines whose required input nobody supplies (naming the
 * fields and the `--input` flag that supplies them).
 */
export function planRefusal(goal: string, plan: Exclude<RulePlan, { kind: 'planned' }>): ApplicationFailure {
  if (plan.kind === 'no-match') {
    const nearest =
      plan.nearest.length === 0
        ? 'the routine catalog is empty'
        : `nearest: ${plan.nearest.map(({ routineId, score }) => `${routineId} (${score})`).join(', ')}`;
    return swarmRefusal(
      SwarmFailureType.noMatchingRoutine,
      `the rule-based planner found no routine matching the goal "${goal}"; ${nearest}`,
      {
        hint: 'register a routine whose name or description fits the goal (swarmflow routine register <file>), or configure a model for the leader so that it plans',
      },
    );
  }
  const needs = plan.missing.map(({ routineId, fields }) => `${routineId} needs ${fields.join(', ')}`);
  const fields = [...new Set(plan.missing.flatMap((missing) => missing.fields))].sort();
  return swarmRefusal(
    SwarmFailureType.missingRoutineInput,
    `the rule-based planner chose routines for the goal "${goal}" but cannot fill their required input: ${needs.join('; ')}`,
    {
      hint: `supply them as the swarm's input: --input '{${fields.map((field) => `"${field}": …`).join(', ')}}' (the SDK's \`input\` option)`,
    },
  );
}
