import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../client/logging/create-logger.ts';
import { idsOfWorkflowId } from '../../../client/logging/swarmflow-ids.ts';
import { createTemporalLogger } from '../../../client/logging/temporal-logger.ts';
import { activityLogIds } from '../../../workers/log-attributes-interceptor.ts';
import { MemoryStream } from '../../support/memory-stream.ts';

describe('the Temporal logger', () => {
  it("maps an activity's meta onto our fields: Temporal's run id apart, ours from the workflow id", () => {
    const out = new MemoryStream();
    const logger = createTemporalLogger(createLogger({ destination: out, env: {} }));
    const error = Object.assign(new Error('charge failed'), { password: 'hunter2' });
    logger.warn('Activity failed', {
      [Symbol.for('log_timestamp')]: 1n,
      sdkComponent: 'worker',
      isLocal: false,
      attempt: 1,
      namespace: 'default',
      taskQueue: 'swarmflow',
      workflowId: 'run/r-42/branch-1',
      workflowRunId: '0197-temporal',
      workflowType: 'runWorkflow',
      activityId: '3',
      activityType: 'executeMeteredStep',
      tenant: 'acme',
      error,
      durationMs: 12,
    });
    expect(out.records()).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'Activity failed',
        component: 'worker',
        runId: 'r-42',
        temporalRunId: '0197-temporal',
        workflowId: 'run/r-42/branch-1',
        workflowType: 'runWorkflow',
        activityId: '3',
        activityType: 'executeMeteredStep',
        taskQueue: 'swarmflow',
        namespace: 'default',
        attempt: 1,
        tenant: 'acme',
        durationMs: 12,
        err: expect.objectContaining({ message: 'charge failed', password: '[redacted]' }),
      }),
    ]);
  });

  it("maps a workflow's meta (its runId is Temporal's) and honours the pino level", () => {
    const out = new MemoryStream();
    const logger = createTemporalLogger(createLogger({ destination: out, env: {}, level: 'info' }));
    logger.debug('Workflow started', { workflowId: 'swarm/s-1', runId: 'temporal-run' });
    logger.log('INFO', 'planned', { workflowId: 'swarm/s-1', runId: 'temporal-run', tenant: 't1' });
    expect(out.records()).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'planned',
        swarmId: 's-1',
        temporalRunId: 'temporal-run',
        tenant: 't1',
      }),
    ]);
    expect(out.records()[0]).not.toHaveProperty('runId');
  });
});

describe('Swarmflow ids for log lines', () => {
  it('come from the workflow id', () => {
    expect(idsOfWorkflowId('run/abc')).toEqual({ runId: 'abc' });
    expect(idsOfWorkflowId('run/abc/chunk-2')).toEqual({ runId: 'abc' });
    expect(idsOfWorkflowId('swarm/s1')).toEqual({ swarmId: 's1' });
    expect(idsOfWorkflowId('eval/e1')).toEqual({ evalId: 'e1' });
    expect(idsOfWorkflowId('improve/acme/triage/c1')).toEqual({ tenant: 'acme', routineId: 'triage' });
    expect(idsOfWorkflowId('canary/acme/triage')).toEqual({ tenant: 'acme', routineId: 'triage' });
    expect(idsOfWorkflowId('message/a/b')).toEqual({});
    expect(idsOfWorkflowId('run')).toEqual({});
  });

  it("come from an activity's input: tenant and swarm, on it or one level down", () => {
    expect(activityLogIds([{ runId: 'r', tenantId: 'acme' }])).toEqual({ tenant: 'acme' });
    expect(activityLogIds([{ routine: { tenantId: 'acme' }, swarmId: 's1' }])).toEqual({
      tenant: 'acme',
      swarmId: 's1',
    });
    expect(activityLogIds([{ scope: { tenant: 'beta' } }])).toEqual({ tenant: 'beta' });
    expect(activityLogIds(['plain', 1])).toEqual({});
    expect(activityLogIds([])).toEqual({});
  });
});
