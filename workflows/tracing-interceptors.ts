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
 * in its history, so a replay takes the same path: an untraced workflow starts exactly as without
 * this module; a traced one starts once the import has resolved, in the same activation. The
 * package's interceptors add no commands (headers and sink calls only) and their yield points are
 * guarded by the SDK's flags. Nothing is kept at module scope: the choice lives in one
 * workflow's interceptor object.
 */
export const interceptors = (): WorkflowInterceptors => {
  const tracing = new TracingSwitch();
  return { inbound: [tracing], outbound: [tracing], internals: [tracing] };
};

type Inbound = Required<WorkflowInboundCallsInterceptor>;
type Outbound = Required<WorkflowOutboundCallsInterceptor>;

/**
 * One workflow's interceptors, in all three roles (their method names differ): each call goes to
 * the package's interceptor once the workflow is traced, else straight on. Methods on a prototype,
 * so an untraced workflow keeps one small object (see bench case 6).
 */
class TracingSwitch
  implements WorkflowInboundCallsInterceptor, WorkflowOutboundCallsInterceptor, WorkflowInternalsInterceptor
{
  private traced: Required<WorkflowInterceptors> | undefined;

  execute(...[input, next]: Parameters<Inbound['execute']>) {
    // Untraced, the workflow starts exactly as without this module: no yield, no promise in between.
    return carriesTraceContext(input.headers) ? this.tracedExecute(input, next) : next(input);
  }

  private async tracedExecute(...[input, next]: Parameters<Inbound['execute']>): Promise<unknown> {
    this.traced = await loadTracingInterceptors();
    const otel = this.traced.inbound[0];
    return otel?.execute ? otel.execute(input, next) : next(input);
  }

  handleSignal(...[input, next]: Parameters<Inbound['handleSignal']>) {
    const otel = this.traced?.inbound[0];
    return otel?.handleSignal ? otel.handleSignal(input, next) : next(input);
  }

  handleUpdate(...[input, next]: Parameters<Inbound['handleUpdate']>) {
    const otel = this.traced?.inbound[0];
    return otel?.handleUpdate ? otel.handleUpdate(input, next) : next(input);
  }

  validateUpdate(...[input, next]: Parameters<Inbound['validateUpdate']>) {
    const otel = this.traced?.inbound[0];
    return otel?.validateUpdate ? otel.validateUpdate(input, next) : next(input);
  }

  handleQuery(...[input, next]: Parameters<Inbound['handleQuery']>) {
    const otel = this.traced?.inbound[0];
    return otel?.handleQuery ? otel.handleQuery(input, next) : next(input);
  }

  scheduleActivity(...[input, next]: Parameters<Outbound['scheduleActivity']>) {
    const otel = this.traced?.outbound[0];
    return otel?.scheduleActivity ? otel.scheduleActivity(input, next) : next(input);
  }

  scheduleLocalActivity(...[input, next]: Parameters<Outbound['scheduleLocalActivity']>) {
    const otel = this.traced?.outbound[0];
    return otel?.scheduleLocalActivity ? otel.scheduleLocalActivity(input, next) : next(input);
  }

  startChildWorkflowExecution(...[input, next]: Parameters<Outbound['startChildWorkflowExecution']>) {
    const otel = this.traced?.outbound[0];
    return otel?.startChildWorkflowExecution ? otel.startChildWorkflowExecution(input, next) : next(input);
  }

  continueAsNew(...[input, next]: Parameters<Outbound['continueAsNew']>) {
    const otel = this.traced?.outbound[0];
    return otel?.continueAsNew ? otel.continueAsNew(input, next) : next(input);
  }

  signalWorkflow(...[input, next]: Parameters<Outbound['signalWorkflow']>) {
    const otel = this.traced?.outbound[0];
    return otel?.signalWorkflow ? otel.signalWorkflow(input, next) : next(input);
  }

  startNexusOperation(...[input, next]: Parameters<Outbound['startNexusOperation']>) {
    const otel = this.traced?.outbound[0];
    return otel?.startNexusOperation ? otel.startNexusOperation(input, next) : next(input);
  }

  getLogAttributes(...[input, next]: Parameters<Outbound['getLogAttributes']>) {
    const otel = this.traced?.outbound[0];
    return otel?.getLogAttributes ? otel.getLogAttributes(input, next) : next(input);
  }

  dispose(...[input, next]: Parameters<Required<WorkflowInternalsInterceptor>['dispose']>) {
    const otel = this.traced?.internals[0];
    return otel?.dispose ? otel.dispose(input, next) : next(input);
  }
}

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
 * them) and makes them. The import is bundled into the workflow bundle (`eager`: no chunk to
 * fetch) and resolves within the same activation; it is a dynamic import because the built
 * package's modules are strict ESM, where webpack leaves `require` undefined.
 */
async function loadTracingInterceptors(): Promise<Required<WorkflowInterceptors>> {
  const loaded: TracingInterceptorsModule & { default?: TracingInterceptorsModule } = await import(
    /* webpackMode: "eager" */ '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors.js'
  );
  // A CommonJS module: its exports as named ones, or (from strict ESM) as the default export only.
  const factory = loaded.interceptors ?? loaded.default?.interceptors;
  if (!factory) throw new Error('@temporalio/interceptors-opentelemetry has no workflow interceptors');
  const made = factory();
  return { inbound: made.inbound ?? [], outbound: made.outbound ?? [], internals: made.internals ?? [] };
}
