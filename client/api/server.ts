import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { AuditLog } from '../../activities/store/audit-log.ts';
import type { TenantDatabases } from '../../activities/store/tenant-database.ts';
import { ApiErrorBody } from '../../schema/api/api-error.ts';
import type { ApiOperation } from '../../schema/api/operation.ts';
import { type ApiOperationId, apiOperations } from '../../schema/api/operations.ts';
import { type AuditOutcome, actorOf } from '../../schema/audit.ts';
import type { Database } from '../../schema/db/tables.ts';
import { authorize, type Identity, localIdentity, type RoleTable } from '../../schema/identity.ts';
import type { Authenticator } from '../auth/authenticate.ts';
import { isLoopbackHost } from '../codec-server.ts';
import { createLogger, type Logger } from '../logging/create-logger.ts';
import type { SwarmflowClient } from '../sdk.ts';
import { traceHttpRequests } from '../telemetry/http-spans.ts';
import { errorReply, RateLimitedError, UnauthenticatedError } from './error-reply.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { registerMetricsRoute } from './metrics-route.ts';
import { type HandlerContext, operationHandlers } from './operation-handlers.ts';

export interface ApiServerOptions {
  /** The operator-side client: its Temporal connection and owner database serve every tenant. */
  client: SwarmflowClient;
  /** Connections under row-level security, one tenant at a time. */
  tenantDatabases: TenantDatabases;
  /** Bearer-token checks; absent only with `insecureLocal`. */
  authenticator?: Authenticator | undefined;
  roles: RoleTable;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Serve without auth, every caller an admin of `localTenant`: loopback hosts only. */
  insecureLocal?: boolean;
  /** The tenant of `--insecure-local` callers; the client's configured tenant by default. */
  localTenant?: string;
  /** Requests a minute per API key (or per address before authentication); 600 by default. */
  rateLimitPerMinute?: number;
  /** Largest request body; 1 MiB by default. */
  bodyLimitBytes?: number;
  /** Refuses starts over a tenant's quota; none enforced when absent. */
  checkQuota?: (tenantId: string, kind: 'run' | 'swarm') => Promise<void>;
  /** Mounts more routes (MCP over HTTP) on the same server, after the REST API. */
  plugins?: ((app: FastifyInstance, services: ApiServices) => Promise<void>)[];
  /**
   * The server's pino logger (createLogger: JSON lines on stdout, pretty on a terminal, redacted),
   * each request's lines bound to its `requestId`. A logger: that one, with a line per request.
   * true: createLogger() at `SWARMFLOW_LOG_LEVEL`, with a line per request. false or absent:
   * createLogger() for warnings and errors only (a failed request, a failed audit append).
   */
  logger?: boolean | Logger;
  /** Serves `GET /metrics` (Prometheus, no credentials: see metrics-route.ts); off by default. */
  metrics?: boolean;
}

/** What extra routes (MCP) share with the REST API. */
export interface ApiServices {
  authenticate(request: FastifyRequest): Promise<Identity>;
  /** The SDK acting for `identity`'s tenant, on the tenant's row-level-secured database. */
  clientFor(identity: Identity): SwarmflowClient;
  roles: RoleTable;
  audit: AuditRecorder;
  /** Refuses a start over the tenant's quota (QuotaExceededError); resolves when none is enforced. */
  checkQuota(identity: Identity, kind: 'run' | 'swarm'): Promise<void>;
  insecureLocal: boolean;
}

export type AuditRecorder = (entry: {
  request: FastifyRequest;
  identity: Identity | undefined;
  action: string;
  target: { kind: string; id?: string | undefined };
  outcome: AuditOutcome;
  status: number;
  reason?: string | undefined;
}) => Promise<void>;

export interface ApiServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
    /** Why authentication failed, for the audit log only. */
    authFailure?: { reason: string; keyId?: string | undefined };
    /** The error a handler failed with, for the audit log. */
    failure?: { type: string; message: string };
  }
  interface FastifyContextConfig {
    operationId?: ApiOperationId;
  }
}

const defaultRateLimitPerMinute = 600;
const defaultBodyLimitBytes = 1024 * 1024;
/** Long enough for an outcome long-poll (30 s) and a slow update. */
const requestTimeoutMs = 60_000;
/** The audit chain of callers whose tenant is unknown (bad or missing credentials). */
const unauthenticatedChain = '_unauthenticated';

/**
 * Why the server may not start with these options: a non-loopback address needs auth, and
 * `--insecure-local` serves only loopback.
 */
export function startRefusal(
  options: Pick<ApiServerOptions, 'host' | 'insecureLocal' | 'authenticator'>,
): string | undefined {
  const loopback = isLoopbackHost(options.host);
  if (options.insecureLocal && !loopback)
    return `--insecure-local serves only a loopback address (127.0.0.1, ::1 or localhost), not ${options.host}`;
  if (!options.insecureLocal && !options.authenticator)
    return 'no authentication configured: pass an authenticator, or --insecure-local on a loopback address';
  return undefined;
}

/**
 * The one public door: REST under `/v1` (OpenAPI 3.1 at `/openapi.json`), health, and the
 * plugins' routes (MCP at `/mcp`). Every `/v1` call is authenticated, authorized by its
 * operation's one permission, run for the caller's tenant only, and audited when it mutates or
 * is refused.
 * @throws Error naming the fix when `startRefusal` refuses the options, or the port is taken.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const refusal = startRefusal(options);
  if (refusal) throw new Error(refusal);
  const insecureLocal = options.insecureLocal ?? false;
  const adminDb = options.client.db;
  const auditLog = new AuditLog(adminDb);
  const logRequests = options.logger !== undefined && options.logger !== false;
  const logger =
    typeof options.logger === 'object'
      ? options.logger
      : createLogger({ bindings: { service: 'swarmflow-api' }, ...(logRequests ? {} : { level: 'warn' }) });
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !logRequests, requestIdLogLabel: 'requestId' }),
    bodyLimit: options.bodyLimitBytes ?? defaultBodyLimitBytes,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: requestTimeoutMs,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    ajv: undefined,
  });
  traceHttpRequests(app);
  app.setValidatorCompiler(validatorCompiler);
  // Answers are documented by their zod schemas and parsed by the remote SDK; the server sends them as JSON.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const local = localIdentity(options.localTenant ?? options.client.config.tenantId);

  const authenticate = async (request: FastifyRequest): Promise<Identity> => {
    if (request.identity) return request.identity;
    if (insecureLocal) {
      request.identity = local;
      return local;
    }
    const result = await (options.authenticator as Authenticator).authenticateHeader(
      request.headers.authorization,
    );
    if (!result.ok) {
      request.authFailure = { reason: `${result.reason}: ${result.detail}`, keyId: result.keyId };
      throw new UnauthenticatedError();
    }
    request.identity = result.identity;
    return result.identity;
  };

  const audit: AuditRecorder = async ({ request, identity, action, target, outcome, status, reason }) => {
    const tenant =
      identity?.tenantId ?? (await keyTenant(adminDb, request.authFailure?.keyId)) ?? unauthenticatedChain;
    const actor = identity
      ? actorOf(identity)
      : { kind: 'api-key' as const, id: request.authFailure?.keyId ?? `address:${request.ip}` };
    try {
      await auditLog.append({
        tenant,
        actor,
        action,
        target: { kind: target.kind, ...(target.id === undefined ? {} : { id: target.id }) },
        requestId: request.id,
        outcome,
        status,
        ...(reason === undefined ? {} : { reason: reason.slice(0, 2000) }),
        details: { method: request.method, path: request.url.split('?')[0] ?? request.url },
      });
    } catch (error) {
      request.log.error({ err: error, tenant, action }, 'audit append failed');
    }
  };

  const clientFor = (identity: Identity): SwarmflowClient =>
    options.client.forTenant(identity.tenantId, options.tenantDatabases.forTenant(identity.tenantId));

  const services: ApiServices = {
    authenticate,
    clientFor,
    roles: options.roles,
    audit,
    checkQuota: async (identity, kind) => options.checkQuota?.(identity.tenantId, kind),
    insecureLocal,
  };

  app.setErrorHandler(async (error, request, reply) => {
    const details = errorReply(error);
    if (details.status >= 500) {
      request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
    }
    request.failure = { type: details.type, message: (error as Error).message };
    if (details.status === 401) reply.header('www-authenticate', 'Bearer realm="swarmflow"');
    if (details.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(details.retryAfterSeconds));
    return reply.code(details.status).send({ error: { ...details, requestId: request.id } });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Swarmflow API',
        version: '1',
        description:
          "Routines, runs, swarms, approvals, user tasks, messages, agents, keys and the audit log of the caller's tenant. Every call needs `Authorization: Bearer <API key or OIDC token>`.",
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: options.rateLimitPerMinute ?? defaultRateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      request.identity?.keyId ?? request.identity?.subject ?? `address:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new RateLimitedError(context.max, Math.ceil(context.ttl / 1000)), { statusCode: 429 }),
  });

  registerHealthRoutes(app, { db: adminDb, temporal: options.client.temporal });
  if (options.metrics) registerMetricsRoute(app, { db: adminDb, temporal: options.client.temporal });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const [operationId, operation] of Object.entries(apiOperations) as [ApiOperationId, ApiOperation][]) {
    registerOperation(app, operationId, operation, { services, adminDb });
  }

  // Refusals of /v1 calls are audited whatever the route: 401s here, 403s and 404s after the handler.
  app.addHook('onSend', async (request, reply, payload) => {
    const operationId = request.routeOptions.config.operationId;
    if (!operationId) return payload;
    const operation = apiOperations[operationId] as ApiOperation;
    const status = reply.statusCode;
    const refused = status === 401 || status === 403 || status === 404 || status === 429;
    if (!operation.audit && !refused) return payload;
    await audit({
      request,
      identity: request.identity,
      action:
        operation.audit?.action ??
        `${operation.family}.${operationId}`.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
      target: { kind: operation.audit?.target ?? operation.family, id: targetId(request, payload) },
      outcome: status < 400 ? 'ok' : refused ? 'denied' : 'error',
      status,
      reason: request.authFailure?.reason ?? request.failure?.message,
    });
    return payload;
  });

  for (const plugin of options.plugins ?? []) await plugin(app, services);

  const address = await app.listen({ host: options.host, port: options.port });
  return {
    url: address.replace('[::1]', '[::1]'),
    app,
    close: () => app.close(),
  };
}

interface OperationServices {
  services: ApiServices;
  adminDb: Kysely<Database>;
}

function registerOperation(
  app: FastifyInstance,
  operationId: ApiOperationId,
  operation: ApiOperation,
  { services, adminDb }: OperationServices,
): void {
  const handler = operationHandlers[operationId] as (
    context: HandlerContext,
    input: unknown,
  ) => Promise<unknown>;
  app.route({
    method: operation.method,
    url: operation.path,
    config: { operationId },
    schema: {
      operationId,
      tags: [operation.family],
      summary: operation.summary,
      description: `Needs the \`${operation.permission}\` permission.`,
      ...(operation.params ? { params: operation.params } : {}),
      ...(operation.query ? { querystring: operation.query } : {}),
      ...(operation.body ? { body: operation.body } : {}),
      response: { [operation.status]: operation.response, '4XX': ApiErrorBody, '5XX': ApiErrorBody },
    },
    // Authenticate and authorize before the body is validated (a caller without the permission
    // learns nothing of the schema) and before the rate limit (preHandler) counts against the key.
    onRequest: async (request) => {
      authorize(await services.authenticate(request), operation.permission, services.roles);
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const identity = request.identity as Identity;
      let status: number = operation.status;
      const client = services.clientFor(identity);
      const context: HandlerContext = {
        identity,
        client,
        db: client.db,
        adminDb,
        roles: services.roles,
        checkQuota: (kind) => services.checkQuota(identity, kind),
        answerStatus: (answer) => {
          status = answer;
        },
      };
      const body = await handler(context, {
        params: request.params ?? {},
        query: request.query ?? {},
        body: request.body,
      });
      return reply.code(status).send(body);
    },
  });
}

/** The resource a call acted on: its id in the path, else the id the answer names. */
function targetId(request: FastifyRequest, payload: unknown): string | undefined {
  const params = request.params as Record<string, string> | undefined;
  const fromPath = params && Object.values(params)[0];
  if (fromPath) return fromPath;
  if (typeof payload !== 'string') return undefined;
  try {
    const body = JSON.parse(payload) as Record<string, unknown>;
    for (const key of ['runId', 'swarmId', 'routineId', 'id', 'messageId']) {
      if (typeof body[key] === 'string') return body[key] as string;
    }
  } catch {
    // not JSON: no id to name
  }
  return undefined;
}

/** The tenant of the key a refused token named, so its tenant's admins see the attempt. */
async function keyTenant(db: Kysely<Database>, keyId: string | undefined): Promise<string | undefined> {
  if (!keyId) return undefined;
  const row = await db.selectFrom('api_keys').select('tenant_id').where('id', '=', keyId).executeTakeFirst();
  return row?.tenant_id;
}
