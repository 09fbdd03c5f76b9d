/**
 * How long an eval case's run may take before it is cancelled and scores 0: a run waiting at a user
 * task, a long timer or a message that never comes would otherwise hold its eval open. A plain
 * constant (no zod), so that workflows may import it.
 */
export const DEFAULT_CASE_TIMEOUT_MS = 15 * 60 * 1000;
