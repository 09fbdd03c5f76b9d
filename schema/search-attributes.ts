import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes every Swarmflow server registers, so runs are found with Temporal's own tools. */
export const SearchAttributes = {
  routineId: defineSearchAttributeKey('SwarmflowRoutineId', SearchAttributeType.KEYWORD),
  routineVersion: defineSearchAttributeKey('SwarmflowRoutineVersion', SearchAttributeType.INT),
  status: defineSearchAttributeKey('SwarmflowStatus', SearchAttributeType.KEYWORD),
  tenant: defineSearchAttributeKey('SwarmflowTenant', SearchAttributeType.KEYWORD),
  /** BPMN signal names the run waits for now, so a broadcast finds its receivers. */
  waitingSignals: defineSearchAttributeKey('SwarmflowWaitingSignals', SearchAttributeType.KEYWORD_LIST),
  /** Tool calls of the run waiting for a person's approval. */
  pendingApprovals: defineSearchAttributeKey('SwarmflowPendingApprovals', SearchAttributeType.INT),
} as const;

const flagTypes: Partial<Record<SearchAttributeType, string>> = {
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** `name=Type` pairs in the form `temporal server start-dev --search-attribute` takes. */
export const searchAttributeFlags = Object.values(SearchAttributes).map(
  (key) => `${key.name}=${flagTypes[key.type]}`,
);

/** The search attributes a run's workflows start with, so Temporal's list queries and broadcasts find them. */
export function runSearchAttributes(routine: { tenantId: string; id: string; version: number }) {
  return [
    { key: SearchAttributes.routineId, value: routine.id },
    { key: SearchAttributes.routineVersion, value: routine.version },
    { key: SearchAttributes.tenant, value: routine.tenantId },
    { key: SearchAttributes.status, value: 'running' },
  ];
}

/** The search attributes a swarm's workflow starts with; its status changes as it goes. */
export function swarmSearchAttributes(tenantId: string) {
  return [
    { key: SearchAttributes.tenant, value: tenantId },
    { key: SearchAttributes.status, value: 'planning' },
  ];
}
