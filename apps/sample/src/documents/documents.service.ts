import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { AuthContextAccessor } from '@nest-platform/auth';

/** A stored document, owned by the tenant of the caller that created it. */
export interface DocumentRecord {
  readonly id: string;
  readonly tenant: string;
  readonly title: string;
  readonly createdBy: string;
}

/** Why a caller without a tenant cannot create a document (the 403's message). */
export const TENANTLESS_CALLER_MESSAGE =
  'POST /documents needs a caller with a tenant: documents are stored per tenant and this ' +
  "access token names none (the sample reads the issuer's tenant claim).";

/** In-memory documents. Reads the caller from AsyncLocalStorage rather than a parameter. */
@Injectable()
export class DocumentsService {
  private readonly documents = new Map<string, DocumentRecord>([
    ['1', { id: '1', tenant: 'acme', title: 'Acme onboarding', createdBy: 'alice' }],
    ['2', { id: '2', tenant: 'globex', title: 'Globex roadmap', createdBy: 'bob' }],
  ]);
  private nextId = 3;

  constructor(private readonly auth: AuthContextAccessor) {}

  /** Every document, or only those of `tenant`. */
  list(tenant?: string): DocumentRecord[] {
    return [...this.documents.values()].filter((d) => tenant === undefined || d.tenant === tenant);
  }

  /**
   * Stores a document in the caller's tenant, recording the caller as its author.
   * @throws ForbiddenException when the caller has no tenant: there is no shared bucket to fall
   *   back to, so tenantless callers are refused rather than mixed together.
   */
  create(title: string): DocumentRecord {
    const caller = this.auth.require();
    if (!caller.tenant) throw new ForbiddenException(TENANTLESS_CALLER_MESSAGE);
    const document = {
      id: String(this.nextId++),
      tenant: caller.tenant,
      title,
      createdBy: caller.subject,
    };
    this.documents.set(document.id, document);
    return document;
  }

  /**
   * Deletes a document.
   * @throws NotFoundException when there is no document `id`.
   */
  remove(id: string): void {
    if (!this.documents.delete(id)) throw new NotFoundException(`No document ${id}`);
  }
}
