/** Which bundle the creation measurement loads, which workflow type it creates, and how many. */
export interface CreationSpec {
  bundlePath: string;
  workflowType: string;
  count: number;
}

/** What one workflow cost to create, on average. */
export interface CreationCost {
  /** Heap that stays in use while the workflow is cached. */
  heapKiB: number;
  /** CPU time (user + system) to create it. */
  cpuMs: number;
}
