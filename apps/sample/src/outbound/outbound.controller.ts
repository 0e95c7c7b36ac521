import { Controller, Get, ServiceUnavailableException, BadGatewayException } from '@nestjs/common';
import { type AuthContext, CurrentAuth, RequireScope } from '@nest-platform/auth';
import { PlatformClient, PlatformClientError } from '@nest-platform/client';
import type { DocumentRecord } from '../documents/documents.service.js';

/** What `GET /outbound/documents` answers. */
export interface OutboundDocuments {
  /** The URL the outbound client called. */
  readonly calledUrl: string;
  readonly documents: DocumentRecord[];
}

/** Says how to configure the outbound client in external mode. */
export const OUTBOUND_NOT_CONFIGURED =
  'The outbound client is not configured: set PLATFORM_CLIENT_BASE_URL, PLATFORM_CLIENT_ISSUER, ' +
  'PLATFORM_CLIENT_ID and PLATFORM_CLIENT_SECRET (see the README).';

/**
 * The outbound half of `PlatformModule`: calls `GET /documents` of the API through the injected
 * `PlatformClient`, which authenticates with its own client-credentials token (the demo
 * `sample-service` client of tenant acme in embedded mode). The route never lends the service's
 * rights to its caller: the caller needs `documents:read` itself, and gets only those of the
 * fetched documents that belong to its own tenant (a globex caller gets none of acme's).
 */
@Controller('outbound')
export class OutboundController {
  constructor(private readonly client: PlatformClient) {}

  @Get('documents')
  @RequireScope('documents:read')
  async documents(@CurrentAuth() caller: AuthContext): Promise<OutboundDocuments> {
    if (!this.client.tokenSource) throw new ServiceUnavailableException(OUTBOUND_NOT_CONFIGURED);
    try {
      const documents = await this.client.getJson<DocumentRecord[]>('/documents');
      return {
        calledUrl: new URL('/documents', this.client.options.baseUrl).href,
        documents: documents.filter((document) => document.tenant === caller.tenant),
      };
    } catch (error) {
      if (error instanceof PlatformClientError) {
        throw new BadGatewayException(`The outbound call failed (${error.code}).`);
      }
      throw error;
    }
  }
}
