import { type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import { SearchAttributes } from '../schema/search-attributes.ts';

/**
 * Keeps a tenant-bound client to its own tenant's workflows. Runs and swarms live in one Temporal
 * namespace, each tagged with the `SwarmflowTenant` search attribute when it starts; a call by id
 * first asks Temporal whose the workflow is, and another tenant's answers exactly as an unknown id
 * does, so a caller learns nothing of what other tenants run.
 */
export class TenantGuard {
  /** `tenantId` undefined: a direct, operator-side client that may reach every tenant's workflows. */
  constructor(private readonly tenantId: string | undefined) {}

  get bound(): boolean {
    return this.tenantId !== undefined;
  }

  /**
   * Resolves when the workflow is the tenant's (or the guard is unbound, or Temporal no longer
   * knows it: callers fall back to the tenant-scoped read model then).
   * @throws the error `notFound` makes when the workflow is another tenant's.
   */
  async admit(handle: WorkflowHandle, notFound: () => Error): Promise<void> {
    if (this.tenantId === undefined) return;
    let owner: string | undefined;
    try {
      owner = (await handle.describe()).typedSearchAttributes.get(SearchAttributes.tenant);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return;
      throw error;
    }
    if (owner !== this.tenantId) throw notFound();
  }

  /** A request's tenant must be the bound one, when it names one at all. */
  tenantFor(requested: string | undefined, fallback: string): string {
    if (this.tenantId === undefined) return requested ?? fallback;
    if (requested !== undefined && requested !== this.tenantId) {
      throw new TenantMismatchError(requested, this.tenantId);
    }
    return this.tenantId;
  }
}

/** A tenant-bound caller named another tenant in a request. */
export class TenantMismatchError extends Error {
  override readonly name = 'TenantMismatchError';
  constructor(
    readonly requested: string,
    readonly bound: string,
  ) {
    super(
      `tenantId: this client acts for tenant "${bound}" only; leave tenantId out, it comes from your credentials`,
    );
  }
}
