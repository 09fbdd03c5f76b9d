/** Swarmflow's own ids that a log line can carry beside Temporal's. */
export interface SwarmflowLogIds {
  /** The Swarmflow run id (not Temporal's run id, which log lines call `temporalRunId`). */
  runId?: string;
  swarmId?: string;
  evalId?: string;
  tenant?: string;
  routineId?: string;
}

/**
 * The Swarmflow ids a workflow id tells: `run/<runId>` (and its branches and chunks,
 * `run/<runId>/<key>`), `swarm/<swarmId>`, `eval/<evalId>`, `improve/<tenant>/<routine>[/<cycle>]`
 * and `canary/<tenant>/<routine>`. Any other id tells nothing.
 */
export function idsOfWorkflowId(workflowId: string): SwarmflowLogIds {
  const [kind, first, second] = workflowId.split('/');
  if (!first) return {};
  switch (kind) {
    case 'run':
      return { runId: first };
    case 'swarm':
      return { swarmId: first };
    case 'eval':
      return { evalId: first };
    case 'improve':
    case 'canary':
      return second ? { tenant: first, routineId: second } : { tenant: first };
    default:
      return {};
  }
}
