import type { SwarmflowClient } from '../../client/sdk.ts';
import type { DeploymentConfigInput } from '../../schema/deployment-config.ts';
import type { RoutineDefinitionInput } from '../../schema/routine.ts';

/**
 * The "triage" fixture of the improvement tests: a one-step routine that classifies a ticket on the
 * premium model, scripted models that price and answer it, and billing tickets run as its evidence.
 * No vitest import: scripts/record-histories.ts uses it too.
 */

type ModelInput = NonNullable<DeploymentConfigInput['models']>[string];
type PriceInput = NonNullable<DeploymentConfigInput['prices']>['models'];

/** A scripted model that answers `text` to every prompt matching `match`. */
export function answering(text: string, match = 'classify'): ModelInput {
  return { provider: 'scripted', turns: [{ match, text }] };
}

/** premium and budget answer alike; sloppy, the cheapest, answers wrong. */
export const triageModels = {
  premium: answering('billing'),
  budget: answering('billing'),
  sloppy: answering('shipping'),
} satisfies Record<string, ModelInput>;

/** Credits per 1,000 tokens: premium 10, budget 1, sloppy 0.5. */
export const triagePrices = {
  premium: { inputPer1k: 10, outputPer1k: 10 },
  budget: { inputPer1k: 1, outputPer1k: 1 },
  sloppy: { inputPer1k: 0.5, outputPer1k: 0.5 },
} satisfies PriceInput;

/**
 * A deployment of `models` (default: premium, budget and sloppy, scripted) priced from
 * `triagePrices`, with `prices` for models of other names; the default model is premium unless
 * `defaultModel` says otherwise.
 */
export function triageDeployment(
  models: Record<string, ModelInput> = triageModels,
  options: { defaultModel?: string; prices?: PriceInput } = {},
): DeploymentConfigInput {
  const prices: PriceInput = { ...triagePrices, ...options.prices };
  return {
    models,
    defaultModel: options.defaultModel ?? 'premium',
    prices: {
      models: Object.fromEntries(
        Object.keys(models).flatMap((name) => (prices?.[name] ? [[name, prices[name]]] : [])),
      ),
    },
  };
}

/** Four billing tickets: every model but sloppy classifies them right. */
export const billingTickets = [
  'my invoice is wrong',
  'charged twice this month',
  'refund my last payment',
  'billing address',
];

/** The routine `id`: one LLM step `classify` on `model` (premium), its answer in `category`; `extra` fields added. */
export function triageRoutine(
  id: string,
  extra: Partial<RoutineDefinitionInput> = {},
  model = 'premium',
): RoutineDefinitionInput {
  return {
    id,
    ...extra,
    body: {
      kind: 'sequence',
      steps: [
        { id: 'classify', prompt: 'Classify this ticket: {{ text }}', model, resultVariable: 'category' },
      ],
    },
  };
}

/**
 * Registers `triageRoutine(id, extra)` and runs it once per ticket, one after the other, so that an
 * improvement cycle has evidence.
 * @throws Error when a run ends other than completed.
 */
export async function registerWithRuns(
  client: SwarmflowClient,
  id: string,
  extra: Partial<RoutineDefinitionInput> = {},
  tickets: readonly string[] = billingTickets,
): Promise<void> {
  await client.registerRoutine(triageRoutine(id, extra));
  for (const text of tickets) {
    const { runId } = await client.startRun({ routineId: id, input: { text } });
    const { status } = await client.awaitRun(runId);
    if (status !== 'completed') throw new Error(`run ${runId} of ${id} on "${text}" ended ${status}`);
  }
}
