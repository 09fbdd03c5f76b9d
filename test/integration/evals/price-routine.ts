import type { RoutineDefinitionInput } from '../../../schema/routine.ts';

/**
 * The eval tests' routine: `total` = quantity × unitPrice, and `label` by a FEEL expression
 * (default `upper case(name)`), then any extra steps; another label or extra steps make a new version.
 */
export function priceRoutine(
  id: string,
  {
    label = 'upper case(name)',
    extra = [],
  }: { label?: string; extra?: { id: string; expression: string }[] } = {},
): RoutineDefinitionInput {
  return {
    id,
    body: {
      kind: 'sequence',
      steps: [
        { id: 'total', expression: 'quantity * unitPrice', resultVariable: 'total' },
        { id: 'label', expression: label, resultVariable: 'label' },
        ...extra.map((step) => ({ ...step, resultVariable: step.id })),
      ],
    },
  };
}
