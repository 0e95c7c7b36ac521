import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { findDemoUser } from './demo-accounts.js';
import { consentPage, errorPage, loginPage } from './issuer-pages.js';

const MAX_FORM_BYTES = 16 * 1024;
const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,128})(?:\/(login|confirm|abort))?$/;

/** The login and consent pages of the embedded issuer, on plain `node:http`. */
export class IssuerInteractions {
  constructor(private readonly provider: Provider) {}

  /** Whether `path` belongs to the interaction pages (everything else goes to oidc-provider). */
  static handles(path: string): boolean {
    return path.startsWith('/interaction/');
  }

  /** Serves one request under `/interaction/`. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      const match = ROUTE.exec(path);
      const action = match?.[2];
      if (!match) return send(res, 404, errorPage('Not found', 'No such page.'));
      if (action === undefined ? req.method !== 'GET' : req.method !== 'POST') {
        res.setHeader('Allow', action === undefined ? 'GET' : 'POST');
        return send(res, 405, errorPage('Method not allowed', 'Use the form on the page.'));
      }
      const details = await this.provider.interactionDetails(req, res);
      if (details.uid !== match[1]) {
        return send(res, 400, errorPage('Sign-in expired', 'Start the sign-in again.'));
      }
      if (action === 'abort') return await this.finish(req, res, ABORTED);
      if (action === 'login') return await this.login(req, res, details.uid, details);
      if (action === 'confirm') return await this.confirm(req, res, details);
      return await this.show(res, details);
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      const expired = name === 'SessionNotFound' || name === 'InvalidRequest';
      if (!res.headersSent) {
        send(
          res,
          expired ? 400 : 500,
          expired
            ? errorPage('Sign-in expired', 'This sign-in is no longer valid. Start it again.')
            : errorPage('Something went wrong', 'The sign-in could not be completed.'),
        );
      }
    }
  }

  private async show(res: ServerResponse, details: Details): Promise<void> {
    const clientName = await this.clientName(details);
    if (details.prompt.name === 'login') return send(res, 200, loginPage(details.uid, clientName));
    if (details.prompt.name === 'consent') {
      return send(res, 200, consentPage(details.uid, clientName, requestedScopes(details)));
    }
    send(res, 400, errorPage('Unsupported prompt', 'This sign-in step is not supported.'));
  }

  private async login(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    details: Details,
  ): Promise<void> {
    if (details.prompt.name !== 'login') {
      return send(res, 400, errorPage('Unexpected step', 'Sign-in is not expected now.'));
    }
    const form = await readForm(req);
    const user = findDemoUser(form.get('username') ?? '');
    if (!user || !sameSecret(user.password, form.get('password') ?? '')) {
      const clientName = await this.clientName(details);
      return send(res, 401, loginPage(uid, clientName, 'Wrong username or password.'));
    }
    await this.finish(req, res, { login: { accountId: user.username } });
  }

  private async confirm(req: IncomingMessage, res: ServerResponse, details: Details) {
    if (details.prompt.name !== 'consent') {
      return send(res, 400, errorPage('Unexpected step', 'Consent is not expected now.'));
    }
    const accountId = details.session?.accountId;
    const clientId = details.params.client_id;
    if (typeof accountId !== 'string' || typeof clientId !== 'string') {
      return send(res, 400, errorPage('Sign-in expired', 'Start the sign-in again.'));
    }
    const { Grant } = this.provider;
    const grant =
      (details.grantId ? await Grant.find(details.grantId) : undefined) ??
      new Grant({ accountId, clientId });
    const missing = details.prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope);
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims);
    const resourceScopes = missing.missingResourceScopes as Record<string, string[]> | undefined;
    for (const [resource, scopes] of Object.entries(resourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes);
    }
    const grantId = await grant.save();
    await this.finish(req, res, { consent: { grantId } }, true);
  }

  private async finish(
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResults,
    merge = false,
  ): Promise<void> {
    await this.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: merge });
  }

  private async clientName(details: Details): Promise<string> {
    const clientId = String(details.params.client_id ?? '');
    const client = await this.provider.Client.find(clientId);
    return client?.clientName ?? clientId;
  }
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const ABORTED: InteractionResults = {
  error: 'access_denied',
  error_description: 'End-User aborted interaction',
};

function requestedScopes(details: Details): string[] {
  const missing = details.prompt.details;
  const oidc = Array.isArray(missing.missingOIDCScope)
    ? (missing.missingOIDCScope as string[])
    : [];
  const resources = Object.values(
    (missing.missingResourceScopes as Record<string, string[]> | undefined) ?? {},
  ).flat();
  return [...new Set([...oidc, ...resources])];
}

function sameSecret(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new RangeError('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  );
  res.end(html);
}
