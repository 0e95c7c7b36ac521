import { Controller, Get, Headers } from '@nestjs/common';
import {
  type AuthContext,
  CurrentAuth,
  Protected,
  Public,
  RequireScope,
} from '@nest-platform/auth';
import { AcceptSnapshot } from '@nest-platform/auth/snapshots';
import { PlatformClient } from '@nest-platform/client';

@Controller()
export class DocumentsController {
  constructor(private readonly client: PlatformClient) {}

  @Get('health')
  @Public()
  health() {
    return { status: 'ok' };
  }

  @Get('me')
  @Protected()
  me(@CurrentAuth() auth: AuthContext) {
    return { subject: auth.subject, principalType: auth.principalType, scopes: auth.scopes };
  }

  @Get('documents')
  @RequireScope('documents:read')
  list(@CurrentAuth() auth: AuthContext) {
    return [{ id: '1', owner: auth.subject }];
  }

  /** Calls `/downstream` with the caller forwarded as a snapshot (`forwardAuth`). */
  @Get('forwarded')
  @RequireScope('documents:read')
  forwarded() {
    return this.client.getJson('/downstream');
  }

  @Get('downstream')
  @AcceptSnapshot()
  @RequireScope('documents:read')
  downstream(
    @CurrentAuth() auth: AuthContext,
    @Headers('x-platform-auth-snapshot') snapshot: string | undefined,
    @Headers('authorization') authorization: string | undefined,
  ) {
    return {
      subject: auth.subject,
      viaSnapshot: typeof snapshot === 'string',
      bearer: authorization !== undefined,
    };
  }
}
