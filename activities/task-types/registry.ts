import { ApplicationFailure } from '@temporalio/activity';
import type { Variables } from '../../schema/json.ts';

/** What a task handler gets: the variables the task may see and its static headers. */
export interface TaskContext {
  variables: Variables;
  headers: Record<string, string>;
  signal: AbortSignal;
  heartbeat(details?: unknown): void;
}

/** Runs one task type; returns the task's result variables. */
export type TaskHandler = (context: TaskContext) => Promise<Variables>;

/** Makes the handler of a prefixed type from the rest of its name (`everything/get-sum` of `mcp:everything/get-sum`). */
export type TaskHandlerFactory = (name: string) => TaskHandler;

/**
 * The one place where a service task's type (`zeebe:taskDefinition type`, a sequence step's
 * `type`) resolves to code: built-ins now, MCP tools and LLM strategies as they are registered.
 */
export class TaskTypeRegistry {
  private readonly handlers = new Map<string, TaskHandler>();
  private readonly prefixes = new Map<string, TaskHandlerFactory>();

  constructor(handlers: Record<string, TaskHandler> = {}) {
    for (const [type, handler] of Object.entries(handlers)) this.register(type, handler);
  }

  register(type: string, handler: TaskHandler): void {
    if (this.handlers.has(type)) throw new Error(`task type "${type}" is registered twice`);
    this.handlers.set(type, handler);
  }

  /** Every type starting with `prefix` (such as `mcp:`) resolves through `factory`; exact types win. */
  registerPrefix(prefix: string, factory: TaskHandlerFactory): void {
    if (this.prefixes.has(prefix)) throw new Error(`task type prefix "${prefix}" is registered twice`);
    this.prefixes.set(prefix, factory);
  }

  resolve(type: string): TaskHandler {
    const handler = this.handlers.get(type) ?? this.resolvePrefixed(type);
    if (handler) return handler;
    throw ApplicationFailure.create({
      type: 'UnknownTaskType',
      message: `unknown task type "${type}"; known types: ${this.types().join(', ')}`,
      nonRetryable: true,
    });
  }

  types(): string[] {
    return [...this.handlers.keys(), ...[...this.prefixes.keys()].map((prefix) => `${prefix}*`)].sort();
  }

  private resolvePrefixed(type: string): TaskHandler | undefined {
    for (const [prefix, factory] of this.prefixes) {
      if (type.startsWith(prefix)) return factory(type.slice(prefix.length));
    }
    return undefined;
  }
}
