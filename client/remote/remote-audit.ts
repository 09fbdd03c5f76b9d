import type { AuditEntry, AuditOutcome } from '../../schema/audit.ts';
import type { ApiTransport } from './api-transport.ts';

/** Which audit entries to read. */
export interface RemoteAuditFilter {
  /** At or after this time. */
  since?: Date | string;
  /** Before this time. */
  until?: Date | string;
  /** An action (`runs.start`), or every action on a resource (`runs.*`). */
  action?: string;
  /** The actor's key id or OIDC subject. */
  actor?: string;
  outcome?: AuditOutcome;
  /** Entries after this sequence number: the last `seq` of the page before. */
  after?: number;
  /** 100 when omitted, at most 1000. */
  limit?: number;
}

/** The tenant's hash-chained audit log over the REST API; needs the `audit:read` permission. */
export class RemoteAudit {
  constructor(private readonly transport: ApiTransport) {}

  /**
   * A page of the tenant's audit entries, oldest first; page on with `after`.
   * @throws ValidationError for a bad filter (the server's).
   */
  async list(filter: RemoteAuditFilter = {}): Promise<AuditEntry[]> {
    const { since, until, ...rest } = filter;
    const query = { ...rest, since: isoTime(since), until: isoTime(until) };
    return (await this.transport.call('listAudit', { query })).entries;
  }
}

function isoTime(time: Date | string | undefined): string | undefined {
  return time instanceof Date ? time.toISOString() : time;
}
