import type { Prices } from '../../schema/deployment-config.ts';
import type { CandidateProposal, ImprovementEvidence } from '../../schema/improvement.ts';
import type { SequenceStep } from '../../schema/routine.ts';
import { NO_USAGE } from '../../schema/usage.ts';
import type { Optimizer, OptimizerContext } from './optimizer.ts';

/** At most this many cheaper models are tried per cycle, cheapest first. */
const MAX_CANDIDATES = 2;

/**
 * Model selection: for a routine whose LLM steps use a model, proposes the same definition with
 * a cheaper configured model on every step whose model costs more. No LLM call: the price table
 * ranks the models, and the eval decides whether the score holds. Sequence routines only (a BPMN
 * routine's LLM tasks name their model in the XML).
 */
export const modelSelection: Optimizer = {
  name: 'modelSelection',
  async propose(evidence: ImprovementEvidence, context: OptimizerContext) {
    const { definition } = evidence.baseline;
    if (definition.body.kind !== 'sequence') return { candidates: [], usage: { ...NO_USAGE } };
    const defaultModel = defaultModelOf(context);
    const price = (model: string) => tokenPrice(context.prices, model);
    const stepModel = (step: SequenceStep) => step.model ?? defaultModel;
    const llmSteps = definition.body.steps.filter((step) => step.prompt !== undefined && stepModel(step));
    const dearest = Math.max(...llmSteps.map((step) => price(stepModel(step) as string)), 0);
    const cheaper = [...evidence.models]
      .filter((model) => price(model) < dearest)
      .sort((a, b) => price(a) - price(b))
      .slice(0, MAX_CANDIDATES);
    const candidates: CandidateProposal[] = [];
    for (const model of cheaper) {
      const switched: string[] = [];
      const steps = definition.body.steps.map((step) => {
        const current = stepModel(step);
        if (step.prompt === undefined || current === undefined || price(current) <= price(model)) return step;
        switched.push(`${step.id} (${current})`);
        return { ...step, model };
      });
      candidates.push({
        optimizer: 'modelSelection',
        change: `model ${model} for step${switched.length > 1 ? 's' : ''} ${switched.join(', ')}`,
        definition: { ...definition, body: { kind: 'sequence', steps } },
      });
    }
    return { candidates, usage: { ...NO_USAGE } };
  },
};

/** What 1000 input and 1000 output tokens of `model` cost: its place in the price table. */
function tokenPrice(prices: Prices, model: string): number {
  const entry = prices.models[model];
  return entry === undefined ? 0 : entry.inputPer1k + entry.outputPer1k;
}

function defaultModelOf(context: OptimizerContext): string | undefined {
  try {
    return context.models.resolve().name;
  } catch {
    return undefined;
  }
}
