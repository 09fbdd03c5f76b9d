import type { Command } from 'commander';
import { z } from 'zod';
import { RoutineId } from '../../../schema/routine.ts';
import type { FieldChange, ItemChange, RoutineDiff } from '../../../schema/routine-diff.ts';
import { parseInput } from '../../../schema/validation.ts';
import { withClient } from '../context.ts';
import { printJson } from '../output.ts';

const version = (name: string) =>
  z.coerce
    .number({ error: `${name} takes a version number` })
    .int(`${name} takes a whole number`)
    .positive();

const RoutineDiffArgs = z.object({
  routine: RoutineId,
  versionA: version('<vA>'),
  versionB: version('<vB>'),
  json: z.boolean().optional(),
});

/** `swarmflow routine diff <routine> <vA> <vB> [--json]`. */
export function routineDiffCommand(routine: Command): void {
  routine
    .command('diff <routine> <vA> <vB>')
    .description(
      'what changed from version vA to vB: metadata, steps (sequence) or elements and flows (BPMN) by id, and the source',
    )
    .option('--json', 'print the diff as one JSON object')
    .action(async (id: string, versionA: string, versionB: string, options: { json?: boolean }) => {
      const args = parseInput(
        RoutineDiffArgs,
        { routine: id, versionA, versionB, ...options },
        'routine diff arguments',
      );
      const diff = await withClient((client) =>
        client.routineDiff(args.routine, args.versionA, args.versionB),
      );
      if (args.json) return printJson(diff);
      process.stdout.write(formatRoutineDiff(diff));
    });
}

/** The diff as a person reads it: a headline, then each section that has changes. */
export function formatRoutineDiff(diff: RoutineDiff): string {
  const lines = [
    `${diff.routineId}: version ${diff.from.version} (${diff.from.kind}) -> version ${diff.to.version} (${diff.to.kind})${diff.identical ? ': identical' : ''}`,
  ];
  if (diff.metadata.length > 0) {
    lines.push('', 'metadata:');
    for (const change of diff.metadata) lines.push(`  ${fieldLine(change)}`);
  }
  const section = (title: string, items: ItemChange[] | undefined) => {
    if (!items || items.length === 0) return;
    lines.push('', `${title}:`);
    for (const item of items) {
      const where = item.processId === undefined ? '' : ` (process ${item.processId})`;
      const sign = item.change === 'added' ? '+' : item.change === 'removed' ? '-' : '~';
      lines.push(`  ${sign} ${item.id}${item.kind ? ` [${item.kind}]` : ''}${where} ${item.change}`);
      for (const field of item.fields) lines.push(`      ${fieldLine(field)}`);
    }
  };
  section('steps', diff.steps);
  if (diff.stepOrderChanged) lines.push('  (the steps run in another order)');
  section('elements', diff.elements);
  section('flows', diff.flows);
  if (diff.sourceDiff) lines.push('', diff.sourceDiff.trimEnd());
  return `${lines.join('\n')}\n`;
}

function fieldLine({ field, from, to }: FieldChange): string {
  const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));
  return `${field}: ${show(from)} -> ${show(to)}`;
}
