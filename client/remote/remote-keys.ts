import type { ApiKeySummary } from '../../schema/api/operations.ts';
import type { ApiTransport } from './api-transport.ts';

/** A key to create: one role, which the caller's own roles must hold every permission of. */
export interface NewRemoteKey {
  /** What the key is for, shown in the key list. */
  name: string;
  role: string;
  /** A span (`90d`, `12h`) or an ISO date; never expires when absent. */
  expires?: string;
}

/** The tenant's API keys over the REST API; every call needs the `keys:manage` permission. */
export class RemoteKeys {
  constructor(private readonly transport: ApiTransport) {}

  /**
   * Creates a key; its secret (`key`) is returned this once only.
   * @throws ValidationError for a bad name, an unknown role or a bad expiry.
   * @throws RoleNotGrantableError when the role has permissions the caller's roles do not.
   */
  async create(key: NewRemoteKey): Promise<{ id: string; key: string }> {
    return this.transport.call('createKey', { body: key });
  }

  /** The tenant's keys, revoked ones too, never their secrets. */
  async list(): Promise<ApiKeySummary[]> {
    return (await this.transport.call('listKeys')).keys;
  }

  /**
   * Revokes a key: it fails at once.
   * @throws UnknownApiKeyError when the tenant has no key with that id.
   */
  async revoke(keyId: string): Promise<{ id: string; revoked: true }> {
    return this.transport.call('revokeKey', { params: { keyId } });
  }
}
