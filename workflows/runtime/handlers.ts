import { setHandler } from '@temporalio/workflow';
import type { RunOutcome, RunState } from '../../schema/run.ts';
import { CompleteUserTaskRequest, ResolveIncidentRequest } from '../../schema/user-task.ts';
import {
  completeUserTaskUpdate,
  deliverMessageSignal,
  deliverSignalSignal,
  resolveIncidentUpdate,
  runStateQuery,
} from '../definitions.ts';
import { installBudgetAndApprovalHandlers } from './control-handlers.ts';
import type { RunContext } from './run-context.ts';

/**
 * Answers the state query and takes messages, signals, user task completions, incident
 * resolutions, tool call approvals and budget raises.
 */
export function installRunHandlers(run: RunContext, outcome: () => RunOutcome): void {
  setHandler(
    runStateQuery,
    (): RunState => ({
      ...outcome(),
      activeElements: run.activeElements(),
      stepsExecuted: run.stepsExecuted,
      ...(run.incident ? { incident: run.incident } : {}),
      usage: run.budget.usage,
      llmSteps: run.llmSteps,
      pendingApprovals: run.approvals.list(),
      ...(run.budget.pausedOn ? { pausedOn: run.budget.pausedOn } : {}),
    }),
  );
  installBudgetAndApprovalHandlers(run);
  setHandler(deliverMessageSignal, (delivery) => run.inbox.deliverMessage(delivery));
  setHandler(deliverSignalSignal, ({ name, variables }) => run.inbox.deliverSignal(name, variables ?? {}));
  setHandler(
    completeUserTaskUpdate,
    (request) => {
      const parsed = CompleteUserTaskRequest.parse(request);
      const task = run.inbox.findUserTask(parsed);
      run.inbox.completeUserTask(task.taskKey, parsed.output, parsed.completedBy);
      return { taskKey: task.taskKey };
    },
    { validator: (request) => void run.inbox.findUserTask(CompleteUserTaskRequest.parse(request)) },
  );
  setHandler(resolveIncidentUpdate, (request) => run.resolveIncident(ResolveIncidentRequest.parse(request)), {
    validator: (request) => {
      ResolveIncidentRequest.parse(request);
      if (!run.incident) throw new Error('the run has no open incident');
    },
  });
}
