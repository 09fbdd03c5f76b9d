/**
 * The step every case runs: Swarmflow's built-in `set` task type with one FEEL header, so a
 * step is deterministic, cheap, and the same work in every engine.
 */
export const STEP_TASK_TYPE = 'set';

/** The headers of a step that adds one to `variable`. */
export function incrementHeaders(variable: string): Record<string, string> {
  return { [variable]: `=${variable} + 1` };
}
