import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { fromParam, RequireRole, RequireScope, RequireTenant } from '@nest-platform/auth';
import { IsString, Length } from 'class-validator';
import { DocumentsService, type DocumentRecord } from './documents.service.js';

/** Body of `POST /documents`: a title of 1 to 200 characters (nothing else is accepted). */
export class CreateDocumentDto {
  @IsString()
  @Length(1, 200)
  title: string;
}

/**
 * The documents routes and what each requires (DESIGN.md, sample app contract): reading needs
 * `documents:read`, writing `documents:write` (and a tenant, see {@link DocumentsService.create}),
 * deleting the `admin` role, and the per-tenant list the caller's own tenant.
 */
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get('documents')
  @RequireScope('documents:read')
  list(): DocumentRecord[] {
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
  listForTenant(@Param('tenantId') tenantId: string): DocumentRecord[] {
    return this.documents.list(tenantId);
  }
}
