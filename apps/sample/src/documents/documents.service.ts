import { Injectable, NotFoundException } from '@nestjs/common';
import { AuthContextAccessor } from '@platform/auth';

export interface DocumentRecord {
  readonly id: string;
  readonly tenant: string;
  readonly title: string;
  readonly createdBy: string;
}

/** In-memory documents. Reads the caller from AsyncLocalStorage rather than a parameter. */
@Injectable()
export class DocumentsService {
  private readonly documents = new Map<string, DocumentRecord>([
    ['1', { id: '1', tenant: 'acme', title: 'Acme onboarding', createdBy: 'alice' }],
    ['2', { id: '2', tenant: 'globex', title: 'Globex roadmap', createdBy: 'bob' }],
  ]);
  private nextId = 3;

  constructor(private readonly auth: AuthContextAccessor) {}

  list(tenant?: string): DocumentRecord[] {
    return [...this.documents.values()].filter((d) => tenant === undefined || d.tenant === tenant);
  }

  create(title: string): DocumentRecord {
    const caller = this.auth.require();
    const document = {
      id: String(this.nextId++),
      tenant: caller.tenant ?? 'default',
      title,
      createdBy: caller.subject,
    };
    this.documents.set(document.id, document);
    return document;
  }

  remove(id: string): void {
    if (!this.documents.delete(id)) throw new NotFoundException(`No document ${id}`);
  }
}
