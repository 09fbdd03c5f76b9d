import type { BenchEnvironment, CaseResources } from './environment.ts';

/** What a case runs with: the shared environment, its own clients and workers, and a progress log. */
export interface CaseContext {
  env: BenchEnvironment;
  resources: CaseResources;
  log: (line: string) => void;
}
