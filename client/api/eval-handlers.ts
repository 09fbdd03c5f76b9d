import type { ApiHandlers } from './operation-handlers.ts';

/** The eval operations (schema/api/eval-operations.ts), each a thin translation to the tenant-bound SDK. */
export const evalHandlers: Pick<ApiHandlers, 'startEval' | 'listEvals' | 'compareEvals' | 'getEval'> = {
  async startEval({ client, checkQuota }, { body }) {
    await checkQuota('run');
    return client.evals.start(body);
  },
  async listEvals({ client }, { query }) {
    return { evals: await client.evals.list(query) };
  },
  compareEvals: ({ client }, { query }) => client.evals.compare(query),
  getEval: ({ client }, { params }) => client.evals.get(params.evalId),
};
