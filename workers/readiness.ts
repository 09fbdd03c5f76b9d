/** A readiness check: resolves `true` when ready, or a short reason when not; a throw is a reason too. */
export type ReadinessCheck = () => Promise<true | string>;

export interface ReadinessReport {
  ready: boolean;
  /** Each check's answer: `ok`, or why it is not ready. */
  checks: Record<string, string>;
}

/** Runs the checks side by side, each given `timeoutMs` to answer; ready when every one is. */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const answers = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await answer(check, timeoutMs)] as const),
  );
  return {
    ready: answers.every(([, value]) => value === 'ok'),
    checks: Object.fromEntries(answers),
  };
}

async function answer(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    const result = await Promise.race([check(), late]);
    return result === true ? 'ok' : result;
  } catch (error) {
    return `unavailable: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}
