import type { Prices } from '../../schema/deployment-config.ts';
import type { CandidateProposal, ImprovementEvidence } from '../../schema/improvement.ts';
import { NO_USAGE } from '../../schema/usage.ts';
import type { Optimizer, OptimizerContext } from './optimizer.ts';
import { llmSteps, withLlmChange } from './optimizers/llm-steps.ts';

/** At most this many cheaper models are tried per cycle, cheapest first. */
const MAX_CANDIDATES = 2;

/**
 * Model selection: for a routine whose LLM steps use a model, proposes the same definition with
 * a cheaper configured model on every LLM step whose model costs more: a sequence step's `model`,
 * or a BPMN LLM task's `model` header. No LLM call: the price table ranks the models, and the eval
 * decides whether the score holds.
 */
export const modelSelection: Optimizer = {
  name: 'modelSelection',
  async propose(evidence: ImprovementEvidence, context: OptimizerContext) {
    const { definition } = evidence.baseline;
    const defaultModel = defaultModelOf(context);
    const price = (model: string) => tokenPrice(context.prices, model);
    const steps = (await llmSteps(definition)).flatMap((step) => {
      const model = step.model ?? defaultModel;
      return model === undefined ? [] : [{ id: step.id, model }];
    });
    const dearest = Math.max(...steps.map((step) => price(step.model)), 0);
    const cheaper = [...evidence.models]
      .filter((model) => price(model) < dearest)
      .sort((a, b) => price(a) - price(b))
      .slice(0, MAX_CANDIDATES);
    const candidates: CandidateProposal[] = [];
    for (const model of cheaper) {
      const switched = steps.filter((step) => price(step.model) > price(model));
      let changed = definition;
      for (const step of switched) changed = await withLlmChange(changed, step.id, { model });
      candidates.push({
        optimizer: 'modelSelection',
        change: `model ${model} for step${switched.length > 1 ? 's' : ''} ${switched.map((step) => `${step.id} (${step.model})`).join(', ')}`,
        definition: changed,
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
