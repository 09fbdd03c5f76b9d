import { isCancellation } from '@temporalio/workflow';
import type { Agent } from '../../schema/agent.ts';
import type { JsonValue, Variables } from '../../schema/json.ts';
import type { Subtask } from '../../schema/swarm.ts';
import { rootFailure } from '../failures.ts';
import { runAgentRound } from './agent-round.ts';
import { workerBriefing } from './briefing.ts';
import { runRoutineChild, runSubSwarm } from './children.ts';
import { runImprovementSubtask } from './improvement-subtask.ts';
import type { Swarm } from './swarm.ts';

/**
 * Does one subtask: a routine as a child run, a sub-swarm as a child swarm, an improvement cycle of
 * a routine the swarm ran as a child improvementWorkflow, or free-form work
 * by its assignee's LLM. The subtask ends done with a result, failed with the reason, or
 * cancelled; subtasks depending on one that did not finish are blocked.
 */
export async function runSubtask(swarm: Swarm, subtask: Subtask): Promise<void> {
  Object.assign(subtask, {
    status: 'in_progress',
    assignee: subtask.assignee ?? assigneeFor(swarm, subtask).id,
  });
  swarm.touch();
  try {
    const result = await work(swarm, subtask, inputsOf(swarm, subtask));
    Object.assign(subtask, { status: 'done', result });
  } catch (error) {
    const cancelled = isCancellation(error);
    const failure = cancelled ? { message: 'cancelled', type: 'Cancelled' } : rootFailure(error);
    Object.assign(subtask, {
      status: cancelled ? 'cancelled' : 'failed',
      error: failure.message,
      errorType: failure.type,
    });
  } finally {
    swarm.board.blockDependentsOfUnsuccessful();
    swarm.note({
      from: subtask.assignee ?? 'swarm',
      to: 'swarm',
      kind: 'event',
      text: `subtask ${subtask.id} ${subtask.status}`,
    });
  }
}

function work(swarm: Swarm, subtask: Subtask, inputs: Variables): Promise<JsonValue | undefined> {
  if (subtask.subSwarm) return runSubSwarm(swarm, subtask.id, subtask.subSwarm, inputs);
  if (subtask.improvement) return runImprovementSubtask(swarm, subtask, subtask.improvement);
  if (subtask.routineId) {
    return runRoutineChild(swarm, {
      routineId: subtask.routineId,
      input: inputs,
      name: subtask.id,
      subtaskId: subtask.id,
    });
  }
  return freeForm(swarm, subtask, inputs);
}

async function freeForm(swarm: Swarm, subtask: Subtask, inputs: Variables): Promise<JsonValue> {
  const agent = assigneeFor(swarm, subtask);
  const answer = await runAgentRound(
    swarm,
    agent,
    'worker',
    subtask.id,
    workerBriefing(swarm, agent, subtask, inputs),
  );
  return parsedAnswer(answer);
}

/** The swarm's input, the subtask's own input, and the results of its dependencies (objects merged, others by id). */
function inputsOf(swarm: Swarm, subtask: Subtask): Variables {
  const fromDependencies = subtask.dependsOn.map((id) => {
    const result = swarm.board.get(id)?.result;
    return isObject(result) ? result : { [id]: result ?? null };
  });
  return Object.assign({}, swarm.input.input, subtask.input, ...fromDependencies);
}

/** The subtask's assignee, else the first worker (not the leader), else the leader. */
function assigneeFor(swarm: Swarm, subtask: Subtask): Agent {
  const named = swarm.team.find((agent) => agent.id === subtask.assignee);
  return named ?? swarm.team.find((agent) => agent.role !== 'leader') ?? swarm.leader;
}

/** A JSON object or array answer is kept as data; anything else as text. */
function parsedAnswer(answer: string): JsonValue {
  const trimmed = answer.trim();
  if (!/^[[{]/.test(trimmed)) return answer;
  try {
    return JSON.parse(trimmed) as JsonValue;
  } catch {
    return answer;
  }
}

function isObject(value: JsonValue | undefined): value is Variables {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
