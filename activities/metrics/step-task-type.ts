import type { StepWork } from '../../schema/graph.ts';

/** A step's `task_type` label: a service task's type (an MCP task as `mcp:<server>`), `script` or `llm`. */
export function stepTaskType(work: StepWork): string {
  if (work.kind !== 'service') return work.kind;
  const { taskType } = work;
  // mcp:<server>/<tool>: one label per server keeps the series few; the MCP metrics have the tool.
  return taskType.startsWith('mcp:') ? taskType.replace(/\/.*$/, '') : taskType;
}
