import { describe, expect, it } from 'vitest';
import { describeLimit, limitReached, ResumeRunRequest } from '../../../schema/budget.ts';
import { LlmWork } from '../../../schema/graph.ts';
import { RunLimits } from '../../../schema/limits.ts';
import { decideToolCall } from '../../../schema/tools.ts';
import { NO_USAGE } from '../../../schema/usage.ts';
import { parseInput } from '../../../schema/validation.ts';
import { policyLayers } from '../../../workflows/runtime/tool-calls.ts';

const used = { ...NO_USAGE, inputTokens: 60, outputTokens: 40, toolCalls: 2, wallMs: 900, credits: 1.5 };
const limits = (budgets: Partial<RunLimits>) => RunLimits.parse(budgets);

describe('run budgets', () => {
  it('stop a call once a limit is reached: tokens in and out, credits, wall time', () => {
    expect(limitReached(used, limits({ maxTokens: 100 }), 'turn')).toEqual({
      limit: 'maxTokens',
      max: 100,
      used: 100,
    });
    expect(limitReached(used, limits({ maxTokens: 101 }), 'turn')).toBeUndefined();
    expect(limitReached(used, limits({ maxCredits: 1.5 }), 'toolCall')?.limit).toBe('maxCredits');
    expect(limitReached(used, limits({ maxDurationMs: 500 }), 'turn')?.limit).toBe('maxDurationMs');
    expect(limitReached(used, limits({}), 'toolCall')).toBeUndefined();
  });

  it('count tool calls against tool calls only, not against LLM turns', () => {
    expect(limitReached(used, limits({ maxToolCalls: 2 }), 'turn')).toBeUndefined();
    const reached = limitReached(used, limits({ maxToolCalls: 2 }), 'toolCall');
    expect(reached && describeLimit(reached)).toBe('the run reached its limit maxToolCalls = 2 (used 2)');
  });

  it('take only budgets when resuming, naming a wrong field', () => {
    expect(() => parseInput(ResumeRunRequest, { limits: { maxSteps: 5 } }, 'resume request')).toThrow(
      /limits: Unrecognized key: "maxSteps"/,
    );
    expect(() => parseInput(ResumeRunRequest, { limits: { maxTokens: -1 } }, 'resume request')).toThrow(
      /limits\.maxTokens: Too small/,
    );
  });
});

describe('tool policy layers of a step', () => {
  const tool = { server: 'memory', name: 'create_entities', risk: 'high' as const };
  const work = (fields: Partial<LlmWork>) => LlmWork.parse({ kind: 'llm', prompt: 'p', ...fields });

  it("ask for approval where the step's requireApprovalFor says", () => {
    const verdict = decideToolCall(
      policyLayers(work({ requireApprovalFor: ['memory/*'] }), { rules: [] }),
      tool,
    );
    expect(verdict).toEqual({ decision: 'approve', reason: 'step rule 1 (tool "memory/*"): approve' });
    expect(decideToolCall(policyLayers(work({}), { rules: [] }), tool).decision).toBe('allow');
  });

  it('let the routine and the step only tighten what the deployment decides', () => {
    const deployment = { rules: [{ tool: 'memory/create_*', decision: 'deny' as const }] };
    const approving = work({ requireApprovalFor: ['memory/*'] });
    expect(decideToolCall(policyLayers(approving, deployment), tool).reason).toMatch(/^deployment rule 1/);
    const routine = work({ routine: { toolPolicy: { rules: [], default: 'deny' } } });
    expect(decideToolCall(policyLayers(routine, { rules: [] }), tool)).toEqual({
      decision: 'deny',
      reason: 'routine default: deny',
    });
  });
});
