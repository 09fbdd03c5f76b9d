import type { Command } from 'commander';
import { readRoutineFile } from '../../routine-files.ts';
import { withClient } from '../context.ts';
import { printJson, printTable } from '../output.ts';
import { routineCanaryCommand } from './routine-canary.ts';
import { routineDiffCommand } from './routine-diff.ts';
import { routineGenerateCommand } from './routine-generate.ts';
import { routineVersionCommands } from './routine-versions.ts';

export function routineCommands(program: Command): void {
  const routine = program.command('routine').description('register and inspect routines');
  routineVersionCommands(routine);
  routineCanaryCommand(routine);

  routine
    .command('register <file>')
    .description('compile and store a routine from a .bpmn model or a .json definition')
    .option('--id <id>', 'routine id (default: the BPMN main process id, or the JSON file id)')
    .action(async (file: string, options: { id?: string }) => {
      const definition = await readRoutineFile(file, options);
      const registered = await withClient((client) => client.registerRoutine(definition));
      const verb = registered.created ? 'registered' : 'unchanged,';
      process.stdout.write(`${verb} ${registered.id} version ${registered.version}\n`);
    });

  routine
    .command('list')
    .description('list the routines of this tenant')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const routines = await withClient((client) => client.listRoutines());
      if (options.json) return printJson(routines);
      printTable(
        routines.map((r) => ({
          id: r.id,
          version: r.activeVersion ?? r.latestVersion,
          latest: r.latestVersion,
          kind: r.kind,
          name: r.name,
        })),
      );
    });

  routine
    .command('show <id>')
    .description('show a routine version: its processes and elements')
    .option('--version <n>', 'a version (default: the active one)', Number)
    .action(async (id: string, options: { version?: number }) => {
      const routine = await withClient((client) => client.getRoutine(id, options.version));
      printJson({
        id: routine.id,
        version: routine.version,
        name: routine.name,
        kind: routine.kind,
        hash: routine.hash,
        status: routine.status ?? 'active',
        parentVersion: routine.parentVersion ?? null,
        lineage: routine.lineage ?? null,
        inputSchema: routine.inputSchema,
        processes: Object.values(routine.compiled.processes).map((p) => ({
          id: p.id,
          elements: Object.values(p.elements).map((e) => `${e.kind}:${e.id}`),
        })),
      });
    });

  routineDiffCommand(routine);
  routineGenerateCommand(routine);
}
