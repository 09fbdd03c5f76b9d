import { sleep } from '@temporalio/workflow';
import type { CanaryRules } from '../../schema/canary-judgement.ts';
import { judgeCanary } from '../../schema/canary-judgement.ts';
import type { CanaryReport } from '../../schema/improvement-cycle.ts';
import { bookkeeping } from './activities.ts';

export interface CanaryRequest {
  tenantId: string;
  routineId: string;
  baselineVersion: number;
  candidateVersion: number;
  rules: CanaryRules;
}

/**
 * Releases a candidate to `rules.percent` of new runs and looks every `rules.checkEveryMs` at its
 * live runs beside the baseline's, until the judgement (schema/canary-judgement.ts) makes it active,
 * rolls it back, finds too few runs in time, or a person ended the canary first. Rolled back and
 * inconclusive canaries end with every new run on the baseline again and the candidate retired.
 * `onLook` hears what each look found.
 */
export async function releaseByCanary(
  request: CanaryRequest,
  onLook: (last: string) => void,
): Promise<CanaryReport> {
  const { tenantId, routineId, baselineVersion, candidateVersion: version, rules } = request;
  await bookkeeping.startCanary({ tenantId, routineId, version, percent: rules.percent });
  let elapsedMs = 0;
  for (;;) {
    await sleep(rules.checkEveryMs);
    elapsedMs += rules.checkEveryMs;
    const { ongoing, ...health } = await bookkeeping.canaryHealth({
      tenantId,
      routineId,
      baselineVersion,
      canaryVersion: version,
    });
    const report = { version, percent: rules.percent, ...health };
    if (!ongoing) {
      return {
        ...report,
        outcome: 'ended',
        why: 'the canary was ended outside the cycle (promote, rollback or a new version)',
      };
    }
    const judged = judgeCanary(health, rules, elapsedMs);
    onLook(judged.why);
    if (judged.verdict === 'wait') continue;
    if (judged.verdict === 'promote') {
      await bookkeeping.promoteVersion({ tenantId, routineId, version });
      return { ...report, outcome: 'promoted', why: judged.why };
    }
    await bookkeeping.endCanary({ tenantId, routineId, version });
    await bookkeeping.retireVersion({ tenantId, routineId, version });
    const outcome = judged.verdict === 'rollback' ? 'rolled_back' : 'inconclusive';
    return { ...report, outcome, why: judged.why };
  }
}
