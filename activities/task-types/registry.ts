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

/**
 * The one place where a service task's type (`zeebe:taskDefinition type`, a sequence step's
 * `type`) resolves to code: built-ins now, MCP tools and LLM strategies as they are registered.
 */
export class TaskTypeRegistry {
  private readonly handlers = new Map<string, TaskHandler>();

  constructor(handlers: Record<string, TaskHandler> = {}) {
    for (const [type, handler] of Object.entries(handlers)) this.register(type, handler);
  }

  register(type: string, handler: TaskHandler): void {
    if (this.handlers.has(type)) throw new Error(`task type "${type}" is registered twice`);
    this.handlers.set(type, handler);
  }

  resolve(type: string): TaskHandler {
    const handler = this.handlers.get(type);
    if (handler) return handler;
    throw ApplicationFailure.create({
      type: 'UnknownTaskType',
      message: `unknown task type "${type}"; known types: ${this.types().join(', ')}`,
      nonRetryable: true,
    });
  }

  types(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
