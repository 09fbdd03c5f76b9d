import { trace } from '@opentelemetry/api';
import type { Context as ActivityContext } from '@temporalio/activity';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  InjectedSinks,
  Next,
} from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import { workflowAttributes } from '../activities/telemetry/span-attributes.ts';
import { activeTracing } from '../client/telemetry/tracing.ts';

/**
 * Activity interceptors while the process traces: each activity runs in a `RunActivity:<type>`
 * span, a child of the workflow's `StartActivity:<type>` span, and carries the run's or swarm's id
 * (`swarmflow.run_id`, `swarmflow.swarm_id`) for trace search; spans started inside it (LLM turns,
 * MCP tool calls, workflows the activity starts) are its children. None when tracing is off.
 */
export function tracingActivityInterceptors(): ActivityInterceptorsFactory[] {
  if (!activeTracing()) return [];
  return [
    (context) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(context),
      outbound: new OpenTelemetryActivityOutboundInterceptor(context),
    }),
    (context) => ({ inbound: new WorkflowAttributesInterceptor(context) }),
  ];
}

/** Inside the activity's span: tags it with the workflow's run or swarm id. */
class WorkflowAttributesInterceptor implements ActivityInboundCallsInterceptor {
  constructor(private readonly context: ActivityContext) {}

  execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const workflowId = this.context.info.workflowExecution?.workflowId;
    if (workflowId) trace.getActiveSpan()?.setAttributes(workflowAttributes(workflowId));
    return next(input);
  }
}

/**
 * The sink the workflow interceptors hand their finished spans to (`exporter`), always
 * registered: a workflow started by a traced client may run on a worker that does not trace, and
 * then its spans are dropped here. Each span gets the workflow's id, run id, type and task queue
 * (not the rest of its info: memo and search attributes stay out of traces) and the run's or
 * swarm's id for trace search; then it goes to the process's span processor.
 */
export function workflowSpanSinks(): InjectedSinks<OpenTelemetrySinks> {
  return {
    exporter: {
      export: {
        fn: (info, spans) => {
          const tracing = activeTracing();
          if (!tracing) return;
          const exporter = makeWorkflowExporter(tracing.spanProcessor, tracing.resource);
          for (const span of spans) Object.assign(span.attributes, workflowAttributes(info.workflowId));
          exporter.export.fn(traceableInfo(info), spans);
        },
      },
    },
  };
}

/** What of a workflow's info its spans carry. */
function traceableInfo(info: WorkflowInfo): WorkflowInfo {
  const { workflowId, runId, workflowType, taskQueue, namespace } = info;
  return { workflowId, runId, workflowType, taskQueue, namespace } as WorkflowInfo;
}
