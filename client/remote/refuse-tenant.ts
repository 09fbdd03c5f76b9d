import { ValidationError } from '../../schema/validation.ts';

/**
 * Refuses a request that names a tenant: a remote client acts for its credentials' tenant only,
 * and the API takes no tenant in a body.
 * @throws ValidationError naming `tenantId` when the request has one.
 */
export function refuseTenant(request: { tenantId?: string | undefined }, subject: string): void {
  if (request.tenantId !== undefined) {
    throw new ValidationError(subject, [
      "tenantId: a remote client acts for its API key's tenant; leave tenantId out",
    ]);
  }
}
