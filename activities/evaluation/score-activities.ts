import type { Kysely } from 'kysely';
import type { Database } from '../../schema/db/tables.ts';
import type { ScoredCase } from './contract.ts';
import { type LiveScoringRequest, recordLiveScores } from './live-scoring.ts';

/** Activities that record scores on runs (`run_scores`). */
export function createScoreActivities({ db }: { db: Kysely<Database> }) {
  return {
    /** Idempotent: a repeat leaves the first rows. Returns how many scores were new. */
    recordLiveScores: (request: LiveScoringRequest & { scored: ScoredCase }) => recordLiveScores(db, request),
  };
}
