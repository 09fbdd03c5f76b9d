import type { CanaryCycle, CycleOutcome, ParkedCycle } from '../../schema/cycle-outcome.ts';
import type { CycleCandidate, ImprovementCycleResult } from '../../schema/improvement-cycle.ts';

/** How `improve run` and the demo print an improvement cycle: its candidates, scores and decisions. */

/** The commands that decide a parked cycle's proposal; none on a throwaway stack, where nobody can. */
export interface DecisionCommands {
  approve: string;
  reject: string;
}

/** `swarmflow improve approve|reject <routine> <proposal>` for the cycle's pending proposal. */
export function decisionCommands(cycle: ParkedCycle): DecisionCommands {
  const command = (verb: string) =>
    ['swarmflow', 'improve', verb, cycle.routineId, cycle.pending.proposalId].map(shellWord).join(' ');
  return { approve: command('approve'), reject: command('reject') };
}

function cycleCore(cycle: ImprovementCycleResult | ParkedCycle | CanaryCycle) {
  return {
    routineId: cycle.routineId,
    baseline: {
      version: cycle.baseline.version,
      score: cycle.baseline.score,
      costPerRun: cycle.baseline.costPerRun,
    },
    candidates: cycle.candidates.map(({ version, optimizer, change, score, costPerRun, decision, why }) => ({
      version,
      optimizer,
      change,
      score,
      costPerRun,
      decision,
      why,
    })),
    promoted: cycle.promoted,
  };
}

/** What `improve run --json` prints of a finished cycle: the routine, the baseline, each candidate and its decision, the promoted version. */
export function cycleJson(result: ImprovementCycleResult) {
  return {
    ...cycleCore(result),
    cycleId: result.cycleId,
    spentCredits: result.spentCredits,
    budgetCredits: result.budgetCredits,
    stopped: result.stopped,
    ...(result.canary === undefined ? {} : { canary: result.canary }),
  };
}

/** The command that shows a routine's canary release. */
function canaryCommand(routineId: string): string {
  return ['swarmflow', 'routine', 'canary', routineId].map(shellWord).join(' ');
}

/**
 * What `improve run --wait --json` prints of a cycle releasing its candidate as a canary: the same
 * fields (promoted null), and `canary` with the command that shows it.
 */
export function canaryCycleJson(cycle: CanaryCycle) {
  return {
    ...cycleCore(cycle),
    canary: { ...cycle.canary, show: canaryCommand(cycle.routineId) },
    cycleId: cycle.cycleId,
  };
}

/**
 * What `improve run --wait --json` prints of a cycle parked on its pending proposal: the same
 * fields (promoted null), and `pending` with the commands that decide it (null on a throwaway stack).
 */
export function parkedCycleJson(cycle: ParkedCycle, commands: DecisionCommands | null) {
  return {
    ...cycleCore(cycle),
    pending: {
      proposalId: cycle.pending.proposalId,
      candidateVersion: cycle.pending.candidateVersion,
      approve: commands?.approve ?? null,
      reject: commands?.reject ?? null,
    },
    cycleId: cycle.cycleId,
  };
}

export function outcomeJson(outcome: CycleOutcome, commands: DecisionCommands | null) {
  if (outcome.status === 'finished') return cycleJson(outcome.result);
  if (outcome.status === 'canary') return canaryCycleJson(outcome.cycle);
  return parkedCycleJson(outcome.cycle, commands);
}

/**
 * Prints the cycle for a person: the baseline, each candidate (optimizer, change, score, cost per
 * run, decision and why), and what became of it: promoted, nothing promoted, or the proposal that
 * waits with the commands that decide it (`commands` null: nobody can, say so with `throwawayNote`).
 */
export function printCycleOutcome(
  outcome: CycleOutcome,
  commands: DecisionCommands | null,
  throwawayNote = '',
): void {
  const cycle = outcome.status === 'finished' ? outcome.result : outcome.cycle;
  const { baseline } = cycle;
  const lines = [
    `${cycle.cycleId}`,
    `  baseline   version ${baseline.version}: score ${number(baseline.score)}, cost per run ${number(baseline.costPerRun)}`,
    ...cycle.candidates.flatMap(candidateLines),
  ];
  if (outcome.status === 'finished') {
    const { result } = outcome;
    if (result.stopped !== null) lines.push(`stopped: ${result.stopped}`);
    if (result.canary !== undefined) {
      const { canary } = result;
      lines.push(
        `canary of version ${canary.version} at ${canary.percent}%: ${canary.outcome.replace('_', ' ')}`,
      );
    }
    lines.push(
      result.promoted === null ? 'nothing promoted' : `promoted version ${result.promoted}: it is active now`,
    );
  } else if (outcome.status === 'canary') {
    const { canary, routineId } = outcome.cycle;
    lines.push(
      `version ${canary.version} is released to ${canary.percent}% of new runs as a canary (${canary.last})`,
      '  the cycle makes it active once its live runs hold up, or rolls it back when they fall behind',
      `  show it: ${canaryCommand(routineId)}`,
    );
  } else {
    const { pending } = outcome.cycle;
    lines.push(`version ${pending.candidateVersion} waits for a decision: proposal ${pending.proposalId}`);
    if (commands === null) lines.push(throwawayNote);
    else
      lines.push(
        `  approve: ${commands.approve}`,
        `  reject:  ${commands.reject} --reason "..."`,
        'The cycle waits for it (7 days by default), across restarts; `improve run --wait-for-decision` waits with it.',
      );
  }
  process.stdout.write(`${lines.filter((line) => line !== '').join('\n')}\n`);
}

function candidateLines(candidate: CycleCandidate): string[] {
  return [
    `  candidate  version ${candidate.version} by ${candidate.optimizer}: ${candidate.change}`,
    `             score ${number(candidate.score)}, cost per run ${number(candidate.costPerRun)}`,
    `             ${candidate.decision}: ${candidate.why}`,
  ];
}

function number(value: number | null): string {
  if (value === null) return '-';
  return String(Number(value.toPrecision(3)));
}

/** A word as a POSIX shell reads it back unchanged. */
function shellWord(word: string): string {
  return /^[\w./@:=+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
