import type { improvementOperations } from '../../schema/api/improvement-operations.ts';
import type { OperationHandlers } from './operation-handlers.ts';

/** The improvement operations: a proposal's decider is the caller, with the caller's roles. */
export const improvementHandlers: OperationHandlers<typeof improvementOperations> = {
  scheduleImprovement: ({ client }, { params, body }) =>
    client.improvement.schedule({ routineId: params.routineId, ...body }),
  unscheduleImprovement: async ({ client }, { params }) => ({
    routineId: params.routineId,
    deleted: await client.improvement.unschedule(params.routineId),
  }),
  getImprovementCycle: ({ client }, { params }) => client.improvement.status(params.cycleId),
  startImprovementCycle: ({ client }, { params, body }) =>
    client.improvement.start({ routineId: params.routineId, ...body }),
  async listProposals({ client }, { query }) {
    return { proposals: await client.improvement.proposals(query) };
  },
  approveProposal: ({ client, identity }, { params, body }) =>
    client.improvement.approve({
      proposal: params.proposalId,
      ...body,
      decidedBy: identity.subject,
      deciderRoles: [...identity.roles],
    }),
  rejectProposal: ({ client, identity }, { params, body }) =>
    client.improvement.reject({
      proposal: params.proposalId,
      ...body,
      decidedBy: identity.subject,
      deciderRoles: [...identity.roles],
    }),
  promoteVersion: ({ client }, { params }) => client.improvement.promote(params.routineId, params.version),
  rollbackRoutine: ({ client }, { params }) => client.improvement.rollback(params.routineId),
};
