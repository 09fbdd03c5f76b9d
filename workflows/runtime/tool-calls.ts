import type { ApprovalOutcome } from '../../schema/approvals.ts';
import type { LlmWork } from '../../schema/graph.ts';
import type { ChatMessage, ToolCall } from '../../schema/models.ts';
import {
  decideToolCall,
  findToolByKey,
  type McpToolDescriptor,
  type PolicyLayer,
  type ToolCallOutcome,
  type ToolPolicy,
  type ToolVerdict,
} from '../../schema/tools.ts';
import { decideEvalToolCall, evalToolsOf, replayToolCall, toolIsSafe } from './eval-tools.ts';
import type { LlmCalls } from './llm-calls.ts';
import { requestToolApproval } from './tool-approval.ts';

type ToolMessage = Extract<ChatMessage, { role: 'tool' }>;

/**
 * Answers one tool call a model asked for, as the tool message it gets back. The tool must be
 * offered to the step and within the step's limit; then the policy layers decide: a denied call
 * is refused, a call needing approval waits for a person, an allowed or approved call runs as
 * an activity. In a run of an eval case, the eval tool policy decides instead of approvals
 * (eval-tools.ts): the call is replayed from the source run, denied, or made. A refusal is told
 * to the model, unless the step fails on rejections.
 */
export async function answerToolCall(
  calls: LlmCalls,
  call: ToolCall,
  offered: McpToolDescriptor[],
  deploymentPolicy: ToolPolicy,
): Promise<ToolMessage> {
  const callId = calls.nextCallId();
  const reply = (text: string): ToolMessage => ({ role: 'tool', toolCallId: call.id, text });
  const tool = findToolByKey(offered, call.name);
  if (!tool) return reply(`error: no tool "${call.name}" is offered to this step`);
  if (!calls.mayCallTools()) {
    return reply(`refused: the step's limit of ${calls.work.maxToolCalls} tool calls is reached; answer now`);
  }
  const verdict = decideToolCall(policyLayers(calls.work, deploymentPolicy), tool);
  const evalTools = evalToolsOf(calls.run.scope);
  const evalAction =
    evalTools && verdict.decision !== 'deny'
      ? decideEvalToolCall(evalTools, `${tool.server}/${tool.name}`, toolIsSafe(tool))
      : undefined;
  const refusal =
    evalAction === undefined
      ? await refusalOf(calls, callId, tool, call, verdict)
      : evalAction.action === 'deny'
        ? `denied in an eval run: ${evalAction.reason}`
        : undefined;
  const refuse = (why: string): ToolMessage => {
    if (calls.work.failOnRejection) throw calls.fail(`tool call ${callId} was ${why}`);
    return reply(`refused: the call was ${why}; it did not run`);
  };
  if (refusal !== undefined) return refuse(refusal);
  const answer = (result: ToolCallOutcome) => reply(result.isError ? `error: ${result.text}` : result.text);
  if (evalAction?.action !== 'replay') return answer(await calls.callTool(tool, call.args));
  const { sourceRunId } = evalAction;
  const replayed = await replayToolCall(calls.run, sourceRunId, tool, call.args);
  if (replayed === undefined) {
    return refuse(`denied in an eval run: the source run ${sourceRunId} made no such call to replay`);
  }
  return answer(replayed);
}

/** The layers that decide a call: the deployment's policy, the routine's, then the step's approvals. */
export function policyLayers(work: LlmWork, deploymentPolicy: ToolPolicy): PolicyLayer[] {
  const stepPolicy: ToolPolicy = {
    rules: work.requireApprovalFor.map((tool) => ({ tool, decision: 'approve' as const })),
  };
  return [
    ...routinePolicyLayers(deploymentPolicy, work.routine?.toolPolicy),
    { source: 'step', policy: stepPolicy },
  ];
}

/** The layers every tool call of a routine is decided by: the deployment's policy, then the routine's. */
export function routinePolicyLayers(
  deploymentPolicy: ToolPolicy,
  routinePolicy: ToolPolicy | undefined,
): PolicyLayer[] {
  return [
    { source: 'deployment', policy: deploymentPolicy },
    ...(routinePolicy ? [{ source: 'routine', policy: routinePolicy }] : []),
  ];
}

/** Why the call may not run ("denied by ...", "rejected by ..."), or undefined when it may. */
async function refusalOf(
  calls: LlmCalls,
  callId: string,
  tool: McpToolDescriptor,
  call: ToolCall,
  verdict: ToolVerdict,
): Promise<string | undefined> {
  if (verdict.decision === 'allow') return undefined;
  if (verdict.decision === 'deny') return `denied by the ${verdict.reason}`;
  const { run, elementId } = calls;
  const { reason, approverRoles } = verdict;
  const request = { callId, elementId, tool, args: call.args, reason, approverRoles };
  const outcome = await requestToolApproval(run, request);
  return outcome.approved ? undefined : rejection(outcome);
}

function rejection(outcome: ApprovalOutcome): string {
  if (outcome.timedOut) return `rejected: ${outcome.reason}`;
  const by = outcome.decidedBy ? ` by ${outcome.decidedBy}` : '';
  return `rejected${by}${outcome.reason ? ` (${outcome.reason})` : ''}`;
}
