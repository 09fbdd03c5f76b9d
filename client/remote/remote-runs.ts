import { RunId } from '../../schema/run.ts';
import { RunFeedback, type RunFeedbackInput, type RunScoreRecord } from '../../schema/run-score.ts';
import { parseInput } from '../../schema/validation.ts';
import type { ApiTransport } from './api-transport.ts';
import type { RunsOperations } from './swarmflow-api.ts';

/** Feedback on runs and their scores over the REST API, as the direct SDK's `client.runs`. */
export class RemoteRuns implements RunsOperations {
  constructor(private readonly transport: ApiTransport) {}

  /**
   * Records the caller's feedback on a run as a score; the server records the API key's identity as
   * the giver (`givenBy` is not sent). The same aspect again replaces the caller's earlier score.
   * @throws ValidationError when the feedback is invalid, naming the field (`score: must be at most 1 ...`).
   * @throws UnknownRunError when the tenant has no such run (another tenant's run is unknown too).
   * @throws PermissionDeniedError when the key lacks `runs:feedback`.
   */
  async feedback(runId: string, feedback: RunFeedbackInput): Promise<RunScoreRecord> {
    const id = parseInput(RunId, runId, 'run id');
    const { givenBy: _recordedByServer, ...body } = parseInput(RunFeedback, feedback, 'feedback');
    return this.transport.call('giveFeedback', { params: { runId: id }, body });
  }

  /**
   * The run's scores, oldest first.
   * @throws UnknownRunError when the tenant has no such run.
   */
  async scores(runId: string): Promise<RunScoreRecord[]> {
    const id = parseInput(RunId, runId, 'run id');
    return (await this.transport.call('listRunScores', { params: { runId: id } })).scores;
  }
}
