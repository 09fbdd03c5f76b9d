import type { z } from 'zod';
import type { AuditTarget } from '../audit.ts';
import type { Permission } from '../identity.ts';

/**
 * One operation of the REST API: its route, the one permission it checks, and the zod schemas of
 * its path parameters, query, body and answer. The API server registers its routes from these
 * (and generates `/openapi.json` from the same schemas); the remote SDK builds its calls from
 * them. Pure data: no I/O.
 */
export interface ApiOperation<
  Params extends z.ZodObject = z.ZodObject,
  Query extends z.ZodObject = z.ZodObject,
  Body extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify-style: `/v1/runs/:runId`. */
  path: string;
  /** The one permission a caller's roles must grant. */
  permission: Permission;
  summary: string;
  /** The OpenAPI tag: the route family. */
  family: ApiFamily;
  params?: Params;
  query?: Query;
  body?: Body;
  response: Response;
  /** The status of a success; a handler may answer 200 instead of 201 when nothing was created. */
  status: 200 | 201 | 202;
  /**
   * Mutations name the audit action they record (`runs.start`) and the kind of resource they
   * touch; reads record nothing unless refused.
   */
  audit?: { action: string; target: AuditTarget['kind'] };
}

export type ApiFamily =
  | 'routines'
  | 'runs'
  | 'approvals'
  | 'tasks'
  | 'messages'
  | 'swarms'
  | 'agents'
  | 'keys'
  | 'audit'
  | 'datasets'
  | 'knowledge';

/** Keeps an operation's literal types (its schemas) while checking it is one. */
export function defineOperation<
  Params extends z.ZodObject,
  Query extends z.ZodObject,
  Body extends z.ZodType,
  Response extends z.ZodType,
>(operation: ApiOperation<Params, Query, Body, Response>): ApiOperation<Params, Query, Body, Response> {
  return operation;
}

type Output<S> = S extends z.ZodType ? z.output<S> : never;
type Input<S> = S extends z.ZodType ? z.input<S> : never;

/** What a call of `operation` takes, parsed: its path parameters, query and body. */
export interface OperationInput<Op extends ApiOperation> {
  params: Output<NonNullable<Op['params']>>;
  query: Output<NonNullable<Op['query']>>;
  body: Output<NonNullable<Op['body']>>;
}

/** What a caller sends: the schemas' input types. */
export interface OperationRequest<Op extends ApiOperation> {
  params: Input<NonNullable<Op['params']>>;
  query: Input<NonNullable<Op['query']>>;
  body: Input<NonNullable<Op['body']>>;
}

export type OperationResult<Op extends ApiOperation> = z.output<Op['response']>;
