import {
  type CaseScore,
  type Evaluation,
  type Scorer,
  type ScorerResult,
  scorersNeedingExpected,
} from '../../../schema/evaluation.ts';
import type { JsonSchema, JsonValue, Variables } from '../../../schema/json.ts';
import { NO_USAGE, sumUsage, type Usage } from '../../../schema/usage.ts';
import type { AskJudge } from '../judge-model.ts';
import { compositeScore } from './composite.ts';
import { scoreFeel } from './feel-scorer.ts';
import { scoreJsonSchema } from './json-schema-scorer.ts';
import { scoreJudge } from './judge-scorer.ts';
import { scoreMatch } from './match-scorer.ts';
import { scoreNumeric } from './numeric-scorer.ts';
import { scorePairwise } from './pairwise-scorer.ts';
import { scorerResult, type Verdict } from './verdict.ts';

/** One output to score by one evaluation section. */
export interface SectionCase {
  input: Variables;
  /** Absent when there is none: every scorer then scores 0 with `missingOutput` as its reason. */
  output?: JsonValue;
  missingOutput: string;
  expected?: JsonValue;
  /** What the pairwise scorer compares with; the expected output when absent. */
  reference?: JsonValue;
  /** The routine's or step's output schema, for a jsonSchema scorer without its own. */
  outputSchema?: JsonSchema;
  /** `live`: only the scorers that need no expected output. */
  mode: 'eval' | 'live';
}

export interface SectionScore {
  score: CaseScore;
  usage: Usage;
}

/**
 * Scores a case by a section: every scorer's verdict (the judges' asked concurrently), their
 * weighted mean and whether it reaches the section's pass score. Null when, in live mode, none of
 * its scorers can score without an expected output. A scorer that needs an expected output the
 * case lacks scores 0 and says so.
 */
export async function scoreSection(
  section: Evaluation,
  scored: SectionCase,
  ask: AskJudge,
): Promise<SectionScore | null> {
  const scorers =
    scored.mode === 'live'
      ? section.scorers.filter((scorer) => !scorersNeedingExpected.has(scorer.kind))
      : section.scorers;
  if (scorers.length === 0) return null;
  const verdicts = await Promise.all(scorers.map((scorer) => verdictOf(scorer, scored, ask)));
  const reasons: ScorerResult[] = scorers.map((scorer, index) =>
    scorerResult(scorer, verdicts[index] ?? missing),
  );
  return {
    score: compositeScore(reasons, section.passScore),
    usage: sumUsage(verdicts.map((verdict) => verdict.usage ?? NO_USAGE)),
  };
}

const missing: Verdict = { score: 0, reason: 'not scored' };
const NO_EXPECTED = 'the case has no expected output to compare with';

async function verdictOf(
  scorer: Scorer,
  scored: SectionCase,
  ask: AskJudge,
): Promise<Verdict & { usage?: Usage }> {
  const { output, expected, input } = scored;
  if (output === undefined) return { score: 0, reason: scored.missingOutput };
  switch (scorer.kind) {
    case 'jsonSchema':
      return scoreJsonSchema(scorer, output, scored.outputSchema);
    case 'match':
      return expected === undefined
        ? { score: 0, reason: NO_EXPECTED }
        : scoreMatch(scorer, output, expected);
    case 'numeric':
      return expected === undefined
        ? { score: 0, reason: NO_EXPECTED }
        : scoreNumeric(scorer, output, expected);
    case 'feel':
      return scoreFeel(scorer, { input, output, ...(expected === undefined ? {} : { expected }) });
    case 'judge':
      return scoreJudge(scorer, { input, output, ...(expected === undefined ? {} : { expected }) }, ask);
    case 'pairwise': {
      const reference = scored.reference ?? expected;
      if (reference === undefined) {
        return { score: 0, reason: 'there is no reference or expected output to compare with' };
      }
      return scorePairwise(scorer, { input, output, reference }, ask);
    }
  }
}
