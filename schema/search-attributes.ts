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
