import { Controller, Get, ServiceUnavailableException, BadGatewayException } from '@nestjs/common';
import { RequireScope } from '@nest-platform/auth';
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
 * `sample-service` client in embedded mode). The caller still needs `documents:read` itself, so
 * the route never lends the service's rights to a caller who lacks them.
 */
@Controller('outbound')
export class OutboundController {
  constructor(private readonly client: PlatformClient) {}

  @Get('documents')
  @RequireScope('documents:read')
  async documents(): Promise<OutboundDocuments> {
    if (!this.client.tokenSource) throw new ServiceUnavailableException(OUTBOUND_NOT_CONFIGURED);
    try {
      const documents = await this.client.getJson<DocumentRecord[]>('/documents');
      return { calledUrl: new URL('/documents', this.client.options.baseUrl).href, documents };
    } catch (error) {
      if (error instanceof PlatformClientError) {
        throw new BadGatewayException(`The outbound call failed (${error.code}).`);
      }
      throw error;
    }
  }
}
