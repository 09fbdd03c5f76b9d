import type { Command } from 'commander';
import { z } from 'zod';
import { RoutineId } from '../../../schema/routine.ts';
import { parseInput, ValidationError } from '../../../schema/validation.ts';
import { remoteTarget, withDirectClient } from '../context.ts';

const PromoteArgs = z.object({
  routine: RoutineId,
  version: z.coerce.number({ error: '<version> takes a whole number' }).int().positive(),
});

/** `routine promote` and `routine rollback`: move a routine's active version (direct mode). */
export function routineVersionCommands(routine: Command): void {
  const direct = <T>(command: string, work: Parameters<typeof withDirectClient<T>>[0]) => {
    if (remoteTarget() !== undefined) {
      throw new ValidationError(`${command} options`, [
        '--url/--api-key: this command runs in direct mode; leave them out',
      ]);
    }
    return withDirectClient(work);
  };

  routine
    .command('promote <routine> <version>')
    .description('make a version the active one (runs without a version start it); the one before is retired')
    .action(async (id: string, version: string) => {
      const args = parseInput(PromoteArgs, { routine: id, version }, 'routine promote arguments');
      const moved = await direct('routine promote', (client) =>
        client.improvement.promote(args.routine, args.version),
      );
      process.stdout.write(
        `${moved.routineId}: version ${moved.active} is active (was ${moved.previous ?? 'none'})\n`,
      );
    });

  routine
    .command('rollback <routine>')
    .description('make the version active before the current one active again')
    .action(async (id: string) => {
      const routineId = parseInput(RoutineId, id, 'routine id');
      const moved = await direct('routine rollback', (client) => client.improvement.rollback(routineId));
      process.stdout.write(
        `${moved.routineId}: rolled back to version ${moved.active} (was ${moved.previous})\n`,
      );
    });
}
