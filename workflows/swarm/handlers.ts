import { setHandler } from '@temporalio/workflow';
import {
  ResumeSwarmRequest,
  StopSwarmRequest,
  SwarmMessageRequest,
  type SwarmStatus,
} from '../../schema/swarm.ts';
import { UpdateSharedStateInput } from '../../schema/swarm-tools.ts';
import { parseInput } from '../../schema/validation.ts';
import {
  decideSwarmApprovalUpdate,
  improvementCycleWaitingSignal,
  pauseSwarmUpdate,
  resumeSwarmUpdate,
  sendSwarmMessageUpdate,
  stopSwarmUpdate,
  swarmStateQuery,
  updateSwarmSharedStateUpdate,
} from './definitions.ts';
import { checkSharedStateUpdate, updateSharedState } from './shared-state.ts';
import type { Swarm } from './swarm.ts';

const ENDED_STATUSES: ReadonlySet<SwarmStatus> = new Set<SwarmStatus>([
  'completed',
  'stopped',
  'failed',
  'cancelled',
]);

/** The swarm's query and updates; validators reject what cannot apply, so a rejected update changes nothing. */
export function installSwarmHandlers(swarm: Swarm): void {
  const open = () => {
    if (swarm.ended || ENDED_STATUSES.has(swarm.status))
      throw new Error(`the swarm is ${swarm.status}; it takes no more changes`);
  };
  setHandler(swarmStateQuery, () => swarm.state());
  setHandler(
    sendSwarmMessageUpdate,
    (raw) => {
      const request = SwarmMessageRequest.parse(raw);
      const entry = swarm.note({ from: request.from, to: request.to, kind: 'message', text: request.text });
      if (request.to === 'swarm' || request.to === swarm.leader.id) swarm.unread.push(entry);
      return { seq: entry.seq };
    },
    {
      validator: (raw) => {
        open();
        const request = parseInput(SwarmMessageRequest, raw, 'swarm message');
        const known = ['swarm', ...swarm.team.map((agent) => agent.id)];
        if (!known.includes(request.to))
          throw new Error(`to: "${request.to}" is none of ${known.join(', ')}`);
      },
    },
  );
  setHandler(pauseSwarmUpdate, ({ reason }) => swarm.pause(reason ?? 'paused by a person'), {
    validator: (_request) => {
      open();
      if (swarm.status === 'paused') throw new Error('the swarm is already paused');
    },
  });
  setHandler(resumeSwarmUpdate, (raw) => swarm.resume(ResumeSwarmRequest.parse(raw).limits), {
    validator: (raw) => swarm.checkResume(parseInput(ResumeSwarmRequest, raw, 'resume request').limits),
  });
  setHandler(
    stopSwarmUpdate,
    (raw) => {
      const { mode, reason } = StopSwarmRequest.parse(raw);
      swarm.requestEnd({ mode, by: 'user', reason: reason ?? `stopped by a person (${mode})` });
      // The loop concludes a swarm with nothing running at its next pass; until then it is stopping.
      return 'stopping' as const;
    },
    {
      validator: (raw) => {
        const { mode } = parseInput(StopSwarmRequest, raw, 'stop request');
        if (
          ENDED_STATUSES.has(swarm.status) ||
          swarm.ending?.mode === 'force' ||
          (swarm.ended && mode === 'graceful')
        )
          throw new Error(`the swarm is already ${swarm.ended ? 'ending' : swarm.status}`);
      },
    },
  );
  setHandler(
    updateSwarmSharedStateUpdate,
    (raw) => {
      updateSharedState(swarm, UpdateSharedStateInput.parse(raw), 'user');
      return swarm.state();
    },
    {
      validator: (raw) =>
        checkSharedStateUpdate(swarm, parseInput(UpdateSharedStateInput, raw, 'shared state update')),
    },
  );
  setHandler(improvementCycleWaitingSignal, (waiting) => {
    swarm.waitingCycles.set(waiting.cycleId, waiting);
    swarm.touch();
  });
  setHandler(decideSwarmApprovalUpdate, (decision) => swarm.approvals.decide(decision), {
    validator: (decision) => swarm.approvals.check(decision),
  });
}
