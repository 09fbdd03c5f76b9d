import {
  defaultPayloadConverter,
  type Headers,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/**
 * The workflow side of tracing (the bundle's interceptor module, see workers/tracing.ts).
 *
 * A workflow whose start carries a trace context (the `_tracer-data` header that
 * `@temporalio/interceptors-opentelemetry`'s client interceptor writes when the starter traces)
 * is traced by that package's workflow interceptors: a `RunWorkflow:<type>` span in the
 * starter's trace, `StartActivity:<type>` and `StartChildWorkflow:<type>` spans under it, and
 * the context passed on to activities and children in their headers. Its spans leave the
 * sandbox through the `exporter` sink. Those interceptors are loaded only then, so a workflow
 * that nobody traces does not evaluate the OpenTelemetry SDK (tests, the demo, tracing off).
 *
 * Deterministic: whether a workflow is traced is decided once, from its start headers, which are
 * in its history; the package's interceptors add no commands (headers and sink calls only) and
 * their yield points are guarded by the SDK's flags. Nothing is kept at module scope: the choice
 * lives in the closure of one workflow's interceptors.
 */
export const interceptors = (): WorkflowInterceptors => {
  let traced: Required<WorkflowInterceptors> | undefined;
  const tracedBy = (headers: Headers): Required<WorkflowInterceptors> | undefined => {
    if (!traced && carriesTraceContext(headers)) traced = loadTracingInterceptors();
    return traced;
  };
  const inbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => {
      const otel = tracedBy(input.headers)?.inbound[0];
      return otel?.execute ? otel.execute(input, next) : next(input);
    },
    handleSignal: (input, next) => {
      const otel = traced?.inbound[0];
      return otel?.handleSignal ? otel.handleSignal(input, next) : next(input);
    },
    handleUpdate: (input, next) => {
      const otel = traced?.inbound[0];
      return otel?.handleUpdate ? otel.handleUpdate(input, next) : next(input);
    },
    validateUpdate: (input, next) => {
      const otel = traced?.inbound[0];
      return otel?.validateUpdate ? otel.validateUpdate(input, next) : next(input);
    },
    handleQuery: (input, next) => {
      const otel = traced?.inbound[0];
      return otel?.handleQuery ? otel.handleQuery(input, next) : next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => {
      const otel = traced?.outbound[0];
      return otel?.scheduleActivity ? otel.scheduleActivity(input, next) : next(input);
    },
    scheduleLocalActivity: (input, next) => {
      const otel = traced?.outbound[0];
      return otel?.scheduleLocalActivity ? otel.scheduleLocalActivity(input, next) : next(input);
    },
    startChildWorkflowExecution: (input, next) => {
      const otel = traced?.outbound[0];
      return otel?.startChildWorkflowExecution ? otel.startChildWorkflowExecution(input, next) : next(input);
    },
    continueAsNew: (input, next) => {
      const otel = traced?.outbound[0];
      return otel?.continueAsNew ? otel.continueAsNew(input, next) : next(input);
    },
    signalWorkflow: (input, next) => {
      const otel = traced?.outbound[0];
      return otel?.signalWorkflow ? otel.signalWorkflow(input, next) : next(input);
    },
    startNexusOperation: (input, next) => {
      const otel = traced?.outbound[0];
      return otel?.startNexusOperation ? otel.startNexusOperation(input, next) : next(input);
    },
    getLogAttributes: (input, next) => {
      const otel = traced?.outbound[0];
      return otel?.getLogAttributes ? otel.getLogAttributes(input, next) : next(input);
    },
  };
  const internals: WorkflowInternalsInterceptor = {
    dispose: (input, next) => {
      const otel = traced?.internals[0];
      return otel?.dispose ? otel.dispose(input, next) : next(input);
    },
  };
  return { inbound: [inbound], outbound: [outbound], internals: [internals] };
};

/** Whether the headers carry a W3C trace context written by a tracing client. */
function carriesTraceContext(headers: Headers): boolean {
  const payload = headers[TRACE_HEADER];
  if (payload === undefined) return false;
  try {
    const carrier = defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload);
    return typeof carrier?.traceparent === 'string';
  } catch {
    return false;
  }
}

/** The header `@temporalio/interceptors-opentelemetry` passes the trace context in. */
const TRACE_HEADER = '_tracer-data';

type TracingInterceptorsModule =
  typeof import('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors.js');

/**
 * Evaluates the package's workflow interceptors in this workflow (and the OpenTelemetry SDK with
 * them) and makes them: a synchronous `require`, bundled by webpack, so no yield point is added.
 */
function loadTracingInterceptors(): Required<WorkflowInterceptors> {
  const module =
    require('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors') as TracingInterceptorsModule;
  const made = module.interceptors();
  return { inbound: made.inbound ?? [], outbound: made.outbound ?? [], internals: made.internals ?? [] };
}
