import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  fromParam,
  RequireDpop,
  RequireRole,
  RequireScope,
  RequireTenant,
} from '@nest-platform/auth';
import { IsString, Length } from 'class-validator';
import { DocumentsService, type DocumentRecord } from './documents.service.js';

/** Body of `POST /documents`: a title of 1 to 200 characters (nothing else is accepted). */
export class CreateDocumentDto {
  @IsString()
  @Length(1, 200)
  title: string;
}

/**
 * The documents routes and what each requires: reading needs `documents:read`, writing
 * `documents:write`, deleting the `admin` role, and the per-tenant list the caller's own tenant.
 * Every route sees only the documents of the caller's tenant ({@link DocumentsService}): an admin
 * of acme deleting a globex document gets 404, as for a document that does not exist.
 */
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get('documents')
  @RequireScope('documents:read')
  list(): DocumentRecord[] {
    return this.documents.list();
  }

  /**
   * The same list for a DPoP-bound token only (RFC 9449): `Authorization: DPoP <token>` and a
   * fresh `DPoP` proof per request; a bearer token, or the bound token without its key, is 401.
   */
  @Get('documents/dpop')
  @RequireDpop()
  @RequireScope('documents:read')
  listBound(): DocumentRecord[] {
    return this.documents.list();
  }

  @Post('documents')
  @RequireScope('documents:write')
  create(@Body() body: CreateDocumentDto): DocumentRecord {
    return this.documents.create(body.title);
  }

  @Delete('documents/:id')
  @RequireRole('admin')
  @HttpCode(204)
  remove(@Param('id') id: string): void {
    this.documents.remove(id);
  }

  @Get('tenants/:tenantId/documents')
  @RequireScope('documents:read')
  @RequireTenant(fromParam('tenantId'))
  listForTenant(): DocumentRecord[] {
    // @RequireTenant has checked that :tenantId is the caller's tenant.
    return this.documents.list();
  }
}
