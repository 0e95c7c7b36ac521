import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { type AuthContext, AuthContextAccessor } from '@nest-platform/auth';

/** A stored document, owned by the tenant of the caller that created it. */
export interface DocumentRecord {
  readonly id: string;
  readonly tenant: string;
  readonly title: string;
  readonly createdBy: string;
}

/** Why a caller without a tenant is refused (the 403's message). */
export const TENANTLESS_CALLER_MESSAGE =
  'The documents routes need a caller with a tenant: documents are stored per tenant and this ' +
  "access token names none (the sample reads the issuer's tenant claim).";

/** The documents every start begins with: one per demo tenant. */
const SEED: readonly DocumentRecord[] = [
  { id: '1', tenant: 'acme', title: 'Acme onboarding', createdBy: 'alice' },
  { id: '2', tenant: 'globex', title: 'Globex roadmap', createdBy: 'bob' },
];

/**
 * In-memory documents, isolated per tenant: every operation acts on the documents of the
 * caller's tenant only, read from the `AuthContext` of the request (AsyncLocalStorage), so no
 * route can forget to filter. A caller without a tenant is refused (403): there is no shared
 * bucket to fall back to.
 */
@Injectable()
export class DocumentsService {
  private readonly documents = new Map(SEED.map((document) => [document.id, document]));
  private nextId = SEED.length + 1;

  constructor(private readonly auth: AuthContextAccessor) {}

  /**
   * The documents of the caller's tenant.
   * @throws ForbiddenException when the caller has no tenant
   */
  list(): DocumentRecord[] {
    const tenant = callerTenant(this.auth.require());
    return [...this.documents.values()].filter((document) => document.tenant === tenant);
  }

  /**
   * Stores a document in the caller's tenant, recording the caller as its author.
   * @throws ForbiddenException when the caller has no tenant
   */
  create(title: string): DocumentRecord {
    const caller = this.auth.require();
    const document = {
      id: String(this.nextId++),
      tenant: callerTenant(caller),
      title,
      createdBy: caller.subject,
    };
    this.documents.set(document.id, document);
    return document;
  }

  /**
   * Deletes a document of the caller's tenant.
   * @throws NotFoundException when the caller's tenant has no document `id`: a document of
   *   another tenant is answered exactly like a missing one, so its existence is not revealed.
   * @throws ForbiddenException when the caller has no tenant
   */
  remove(id: string): void {
    const tenant = callerTenant(this.auth.require());
    const document = this.documents.get(id);
    if (document?.tenant !== tenant) throw new NotFoundException(`No document ${id}`);
    this.documents.delete(id);
  }
}

function callerTenant(caller: AuthContext): string {
  if (!caller.tenant) throw new ForbiddenException(TENANTLESS_CALLER_MESSAGE);
  return caller.tenant;
}
