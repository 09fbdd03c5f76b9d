import type { Command } from 'commander';
import type { UserTaskRecord } from '../../../schema/user-task.ts';
import { withClient } from '../context.ts';
import { parseJsonObjectOption } from '../json-option.ts';
import { printJson, printTable } from '../output.ts';

interface ListOptions {
  run?: string;
  all?: boolean;
  json?: boolean;
}

export function tasksCommands(program: Command): void {
  const tasks = program.command('tasks').description('user tasks that runs wait on');

  tasks
    .command('list')
    .description('list open user tasks')
    .option('--run <id>', 'only the tasks of this run')
    .option('--all', 'completed and cancelled tasks too')
    .option('--json', 'print JSON')
    .action(async (options: ListOptions) => {
      const list = await withClient((client) =>
        client.listTasks({
          ...(options.run === undefined ? {} : { runId: options.run }),
          ...(options.all ? {} : { status: 'open' }),
        }),
      );
      if (options.json) printJson(list);
      else printTable(list.map(taskRow));
    });

  tasks
    .command('complete <run-id> <element-id>')
    .description("complete a run's open user task; its output variables merge into the run")
    .option('--output <json>', 'output variables as a JSON object')
    .option('--task <task-key>', 'which instance, when the element has several open')
    .action(async (runId: string, elementId: string, options: { output?: string; task?: string }) => {
      const output = parseJsonObjectOption(options.output, '--output');
      const { taskKey } = await withClient((client) =>
        client.completeTask(runId, { elementId, output, ...(options.task ? { taskKey: options.task } : {}) }),
      );
      process.stdout.write(`completed user task ${taskKey} of run ${runId}\n`);
    });
}

function taskRow(task: UserTaskRecord): Record<string, string | null> {
  return {
    run: task.runId,
    task: task.taskKey,
    element: task.elementId,
    name: task.name,
    assignee: task.assignee,
    due: task.dueDate?.toISOString() ?? null,
    status: task.status,
  };
}
