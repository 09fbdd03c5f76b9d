import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  ContinueAsNew,
  condition,
  continueAsNew,
  isCancellation,
  workflowInfo,
} from '@temporalio/workflow';
import type { JsonValue } from '../schema/json.ts';
import type { OutcomeError } from '../schema/outcome-error.ts';
import type { PlannerChoice, SwarmOutcome, SwarmStatus, SwarmWorkflowInput } from '../schema/swarm.ts';
import { rootFailure } from './failures.ts';
import { swarmCatalog } from './swarm/activities.ts';
import { installSwarmHandlers } from './swarm/handlers.ts';
import { LeaderDriver } from './swarm/leader.ts';
import { SubtaskScheduler } from './swarm/scheduler.ts';
import { boardRules } from './swarm/shared-state.ts';
import { Swarm } from './swarm/swarm.ts';

/**
 * One swarm: assembles its team, decomposes its goal into subtasks (the leader's LLM, or the
 * rule-based planner), runs them as child runs, sub-swarms and agent work under its limits,
 * and ends with a result; pausable, stoppable, and continued as new before its history grows long.
 */
export async function swarmWorkflow(input: SwarmWorkflowInput): Promise<SwarmOutcome> {
  const swarm = new Swarm(input);
  const scheduler = new SubtaskScheduler(swarm);
  installSwarmHandlers(swarm);
  let failure: Failure | undefined;
  let cancellation: unknown;
  try {
    const planner = await prepare(swarm);
    const leader = planner === 'llm' ? new LeaderDriver(swarm) : undefined;
    await coordinate(swarm, scheduler, leader, planner);
    failure = leader?.failure === undefined ? undefined : rootFailure(leader.failure);
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error;
    if (isCancellation(error)) cancellation = error;
    else failure = rootFailure(error);
  }
  await CancellationScope.nonCancellable(async () => {
    if (cancellation !== undefined || failure !== undefined) swarm.work.cancel();
    await scheduler.settled();
    conclude(swarm, cancellation !== undefined, failure);
    await condition(allHandlersFinished);
    await swarm.record(true);
  });
  if (cancellation !== undefined) throw cancellation;
  return outcomeOf(swarm, failure);
}

/** Why a swarm failed: a message and a type, with a hint when the failure carries one. */
type Failure = Omit<OutcomeError, 'elementId' | 'subtaskId' | 'runId'>;

/** Assembles the team if none was given, and picks the planner; the rule-based planner plans here. */
async function prepare(swarm: Swarm): Promise<'llm' | 'rules'> {
  const { input } = swarm;
  if (swarm.team.length === 0) {
    swarm.currentActivity = 'assembling the team';
    const requirements = input.requirements ?? { roles: [], skills: [] };
    swarm.team = await swarmCatalog.assembleSwarmTeam({ tenantId: swarm.tenantId, requirements });
    swarm.note({
      from: 'swarm',
      to: 'swarm',
      kind: 'event',
      text: `team: ${swarm.team.map((a) => a.id).join(', ')}`,
    });
  }
  const planner = await plannerFor(swarm, input.planner);
  if (planner === 'rules' && !swarm.planned) await planFromCatalog(swarm);
  swarm.setStatus('running');
  return planner;
}

async function plannerFor(swarm: Swarm, choice: PlannerChoice): Promise<'llm' | 'rules'> {
  if (choice !== 'auto') return choice;
  const models = await swarmCatalog.swarmModels();
  const model = swarm.leader.model ?? models.defaultModel;
  return model !== undefined && models.names.includes(model) ? 'llm' : 'rules';
}

async function planFromCatalog(swarm: Swarm): Promise<void> {
  swarm.currentActivity = 'planning from the routine catalog';
  const proposals = await swarmCatalog.planSwarmFromCatalog({
    tenantId: swarm.tenantId,
    goal: swarm.goal,
    team: swarm.team,
    maxSubtasks: swarm.limits.maxSubtasks,
    input: swarm.input.input,
  });
  // Planners before NoMatchingRoutine refusals answered an empty plan.
  if (proposals.length === 0) {
    throw ApplicationFailure.create({
      type: 'NoMatchingRoutine',
      message: `the rule-based planner found no routine in the catalog matching the goal "${swarm.goal}"`,
      details: [
        {
          hint: 'register routines whose name or description fits the goal, or configure a model for the leader',
        },
      ],
    });
  }
  const problems = swarm.board.apply({ set: proposals, delete: [] }, boardRules(swarm));
  if (problems.length > 0) throw new Error(`the planner's subtasks do not fit: ${problems.join('; ')}`);
  swarm.planned = true;
  swarm.note({
    from: 'planner',
    to: 'swarm',
    kind: 'event',
    text: `planned ${proposals.map((p) => p.id).join(', ')}`,
  });
}

/** The swarm's loop: leader rounds and subtasks start as they are due, until the swarm ends. */
async function coordinate(
  swarm: Swarm,
  scheduler: SubtaskScheduler,
  leader: LeaderDriver | undefined,
  planner: 'llm' | 'rules',
): Promise<void> {
  for (;;) {
    if (leader?.failure !== undefined) return;
    const quiet = scheduler.idle && !leader?.busy;
    if (swarm.ending) {
      if (quiet) return;
    } else if (swarm.status !== 'paused') {
      await continueAsNewIfDue(swarm, planner, quiet);
      const phase = leader?.due(scheduler.idle);
      if (phase) leader?.start(phase);
      scheduler.startReady();
      const finished =
        scheduler.idle && !leader?.busy && swarm.board.allEnded() && (leader?.upToDate ?? true);
      if (finished && !swarm.input.awaitMessages) return;
      if (finished || !swarm.enforceLimits('turn')) swarm.setStatus(finished ? 'idle' : swarm.status);
      else swarm.setStatus('running');
    }
    await swarm.record();
    await swarm.nextChange(timeLeft(swarm));
  }
}

/** Continues as new at a quiet moment once the history is long, carrying the swarm's state over. */
async function continueAsNewIfDue(swarm: Swarm, planner: 'llm' | 'rules', quiet: boolean): Promise<void> {
  const info = workflowInfo();
  const long =
    info.historyLength >= swarm.limits.historyEventsBeforeContinueAsNew || info.continueAsNewSuggested;
  if (!long || !quiet || swarm.approvals.list().length > 0) return;
  await swarm.record();
  await condition(allHandlersFinished);
  await continueAsNew<(input: SwarmWorkflowInput) => Promise<SwarmOutcome>>({
    ...swarm.input,
    goal: swarm.goal,
    team: swarm.team,
    limits: swarm.limits,
    planner,
    carry: swarm.carry(),
  });
}

/** How long until the duration limit, so the loop wakes to enforce it. */
function timeLeft(swarm: Swarm): number | undefined {
  const { maxDurationMs } = swarm.limits;
  if (maxDurationMs === undefined) return undefined;
  return Math.max(1, maxDurationMs - (Date.now() - swarm.startedAtMs));
}

/** The swarm's final status and result. */
function conclude(swarm: Swarm, cancelled: boolean, failure: Failure | undefined): void {
  swarm.board.cancelNotStarted(swarm.ending?.reason ?? 'the swarm ended');
  swarm.result = swarm.ending?.result ?? defaultResult(swarm);
  swarm.currentActivity = 'ended';
  const [status, reason] = finalStatus(swarm, cancelled, failure);
  swarm.setStatus(status, reason);
}

function finalStatus(swarm: Swarm, cancelled: boolean, failure: Failure | undefined): [SwarmStatus, string?] {
  if (cancelled) return ['cancelled', 'the swarm was cancelled'];
  if (failure !== undefined) return ['failed', failure.message];
  const { ending } = swarm;
  if (ending)
    return [ending.by === 'user' || ending.by === 'limits' ? 'stopped' : 'completed', ending.reason];
  const unfinished = swarm.board.unsuccessful();
  if (unfinished.length === 0) return ['completed'];
  const reasons = unfinished.map((subtask) =>
    `${subtask.id} ${subtask.status}: ${subtask.error ?? ''}`.trim(),
  );
  return ['failed', `subtasks did not finish: ${reasons.join('; ')}`];
}

/** Without a result from `end_swarm`: the results of the done subtasks, by id. */
function defaultResult(swarm: Swarm): JsonValue {
  const results = Object.fromEntries(
    swarm.board.subtasks
      .filter((subtask) => subtask.status === 'done')
      .map((subtask) => [subtask.id, subtask.result ?? null]),
  );
  return { results };
}

function outcomeOf(swarm: Swarm, failure: Failure | undefined): SwarmOutcome {
  const typed = failure ?? endingFailure(swarm);
  return {
    swarmId: swarm.swarmId,
    status: swarm.status,
    ...(swarm.result === undefined ? {} : { result: swarm.result }),
    subtasks: swarm.board.subtasks,
    usage: swarm.usage,
    ...(typed === undefined ? {} : { error: typed.message, failure: typed }),
  };
}

/** Why a swarm that ended without a failure of its own did not complete: stopped, or its subtasks did not finish. */
function endingFailure(swarm: Swarm): Failure | undefined {
  if (swarm.status === 'completed') return undefined;
  const message = swarm.statusReason ?? `the swarm ended ${swarm.status}`;
  if (swarm.status === 'stopped') return { message, type: 'Stopped' };
  if (swarm.status === 'cancelled') return { message, type: 'Cancelled' };
  return { message, type: 'SubtasksFailed' };
}
