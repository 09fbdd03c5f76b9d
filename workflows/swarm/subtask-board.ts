import type { Subtask, SubtaskProposal } from '../../schema/swarm.ts';

const ENDED: ReadonlySet<Subtask['status']> = new Set(['done', 'failed', 'cancelled', 'blocked']);
const UNSUCCESSFUL: ReadonlySet<Subtask['status']> = new Set(['failed', 'cancelled', 'blocked']);

export interface BoardChange {
  set: (SubtaskProposal & Pick<Subtask, 'subSwarm' | 'improvement'>)[];
  delete: string[];
}

export interface BoardRules {
  maxSubtasks: number;
  agentIds: string[];
}

/**
 * The subtasks of a swarm and the rules for changing them: only subtasks not started may be
 * replaced or deleted, dependencies must exist and form no cycle, assignees must be on the team,
 * and the board holds at most `maxSubtasks`. Pure: the workflow owns the one instance.
 */
export class SubtaskBoard {
  constructor(readonly subtasks: Subtask[] = []) {}

  get(id: string): Subtask | undefined {
    return this.subtasks.find((subtask) => subtask.id === id);
  }

  /** The problems that keep `change` from applying; none means `apply` will take it. */
  problemsWith(change: BoardChange, rules: BoardRules): string[] {
    const problems = [...this.deletionProblems(change.delete), ...this.replacementProblems(change.set)];
    const next = this.changed(change);
    problems.push(...referenceProblems(next, change.set, rules), ...cycleProblems(next));
    const count = next.filter((subtask) => subtask.status !== 'cancelled').length;
    if (count > rules.maxSubtasks) {
      problems.push(
        `subtasks: the swarm's limit maxSubtasks = ${rules.maxSubtasks} would be exceeded (${count})`,
      );
    }
    return problems;
  }

  /** Applies `change` whole, or returns the problems that keep it from applying (nothing changes then). */
  apply(change: BoardChange, rules: BoardRules): string[] {
    const problems = this.problemsWith(change, rules);
    if (problems.length > 0) return problems;
    this.subtasks.splice(0, this.subtasks.length, ...this.changed(change));
    this.blockDependentsOfUnsuccessful();
    return [];
  }

  /** Subtasks not started whose dependencies are all done, in board order. */
  ready(): Subtask[] {
    return this.subtasks.filter(
      (subtask) =>
        subtask.status === 'todo' && subtask.dependsOn.every((id) => this.get(id)?.status === 'done'),
    );
  }

  running(): Subtask[] {
    return this.subtasks.filter((subtask) => subtask.status === 'in_progress');
  }

  /** Whether every subtask has ended (done, failed, cancelled or blocked). */
  allEnded(): boolean {
    return this.subtasks.every((subtask) => ENDED.has(subtask.status));
  }

  unsuccessful(): Subtask[] {
    return this.subtasks.filter((subtask) => UNSUCCESSFUL.has(subtask.status));
  }

  /** Marks subtasks not started as cancelled, e.g. when the swarm stops. */
  cancelNotStarted(reason: string): void {
    for (const subtask of this.subtasks) {
      if (subtask.status === 'todo') Object.assign(subtask, { status: 'cancelled', error: reason });
    }
  }

  /** Subtasks waiting on one that failed, was cancelled or is blocked can never run: they are blocked. */
  blockDependentsOfUnsuccessful(): void {
    for (let changed = true; changed; ) {
      changed = false;
      for (const subtask of this.subtasks) {
        if (subtask.status !== 'todo') continue;
        const stuck = subtask.dependsOn.find((id) => UNSUCCESSFUL.has(this.get(id)?.status ?? 'todo'));
        if (stuck === undefined) continue;
        Object.assign(subtask, { status: 'blocked', error: `depends on ${stuck}, which did not finish` });
        changed = true;
      }
    }
  }

  private changed(change: BoardChange): Subtask[] {
    const deleted = new Set(change.delete);
    const next = this.subtasks.map((subtask) =>
      deleted.has(subtask.id) ? { ...subtask, status: 'cancelled' as const, error: 'deleted' } : subtask,
    );
    for (const proposal of change.set) {
      const subtask: Subtask = { ...proposal, status: 'todo' };
      const index = next.findIndex((existing) => existing.id === proposal.id);
      if (index >= 0) next[index] = subtask;
      else next.push(subtask);
    }
    return next;
  }

  private deletionProblems(ids: string[]): string[] {
    return ids.flatMap((id) => {
      const subtask = this.get(id);
      if (!subtask) return [`subtasks.delete: no subtask "${id}"`];
      if (subtask.status !== 'todo' && subtask.status !== 'blocked')
        return [`subtasks.delete: "${id}" is ${subtask.status}; only subtasks not started can be deleted`];
      return [];
    });
  }

  private replacementProblems(proposals: SubtaskProposal[]): string[] {
    const seen = new Set<string>();
    return proposals.flatMap((proposal, index) => {
      const problems: string[] = [];
      if (seen.has(proposal.id)) problems.push(`subtasks.set[${index}].id: "${proposal.id}" is given twice`);
      seen.add(proposal.id);
      const existing = this.get(proposal.id);
      if (existing && existing.status !== 'todo' && existing.status !== 'blocked') {
        problems.push(
          `subtasks.set[${index}].id: "${proposal.id}" is ${existing.status}; give a new id for new work`,
        );
      }
      return problems;
    });
  }
}

function referenceProblems(next: Subtask[], proposals: SubtaskProposal[], rules: BoardRules): string[] {
  const ids = new Set(next.map((subtask) => subtask.id));
  return proposals.flatMap((proposal, index) => [
    ...proposal.dependsOn
      .filter((id) => !ids.has(id))
      .map((id) => `subtasks.set[${index}].dependsOn: no subtask "${id}"`),
    ...(proposal.assignee !== undefined && !rules.agentIds.includes(proposal.assignee)
      ? [
          `subtasks.set[${index}].assignee: "${proposal.assignee}" is not on the team (${rules.agentIds.join(', ')})`,
        ]
      : []),
  ]);
}

function cycleProblems(subtasks: Subtask[]): string[] {
  const byId = new Map(subtasks.map((subtask) => [subtask.id, subtask]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path, id].join(' → ');
    state.set(id, 'visiting');
    for (const dependency of byId.get(id)?.dependsOn ?? []) {
      const cycle = visit(dependency, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const subtask of subtasks) {
    const cycle = visit(subtask.id, []);
    if (cycle) return [`subtasks: the dependencies form a cycle: ${cycle}`];
  }
  return [];
}
