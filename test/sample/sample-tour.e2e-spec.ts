import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type CliRun, killShell, runShell } from '../cli/fixtures/cli-process.js';
import { approveDeviceCode } from '../cli/fixtures/play-user.js';
import {
  freePort,
  runSampleUntilExit,
  SAMPLE_SUITE_TIMEOUT_MS,
  type SampleProcess,
  startSample,
} from './fixtures/sample-process.js';

/**
 * The README's five-minute tour, followed literally: every command below is pasted from the
 * tour (the suite checks that the README holds it, character for character, with the default
 * URLs), run with `/bin/sh` against a sample on free ports, and every output the tour shows is
 * checked, whatever order the steps run in. `…` in a shown output stands for a value that
 * changes (an id, a time).
 */

const README = join(dirname(fileURLToPath(import.meta.url)), '../../README.md');
const API = 'http://127.0.0.1:3000';
const ISSUER = 'http://127.0.0.1:3001';
const TOKEN_OF_STEP_1 = `TOKEN=$(curl -s -u sample-service:sample-service-secret -d grant_type=client_credentials -d scope=documents:read ${ISSUER}/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`;
const ACME_DOCUMENTS = '[{"id":"1","tenant":"acme","title":"Acme onboarding","createdBy":"alice"}]';
const GLOBEX_DOCUMENTS =
  '[{"id":"2","tenant":"globex","title":"Globex roadmap","createdBy":"bob"}]';
const REALM = 'Bearer realm="platform-sample"';
/** What the sample adds after the challenge of the scheme used: RFC 9728 metadata and DPoP. */
const challengeSuffix = (api: string) => {
  const metadata = `resource_metadata="${api}/.well-known/oauth-protected-resource"`;
  return `, ${metadata}, DPoP realm="platform-sample", algs="ES256 EdDSA Ed25519", ${metadata}`;
};

jest.setTimeout(4 * SAMPLE_SUITE_TIMEOUT_MS);

/** A `curl -i` answer: status, headers (lower-case names) and body. */
function parseCurlI(text: string): { status: number; headers: Map<string, string>; body: string } {
  const [head, ...rest] = text.split(/\r?\n\r?\n/);
  const [statusLine, ...lines] = head.split(/\r?\n/);
  const headers = new Map(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\n\n') };
}

/** A shown output as a pattern: `…` is any value without quotes or commas. */
function shownPattern(shown: string): RegExp {
  const escaped = shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('…', '[^",}]+');
  return new RegExp(`^${escaped}$`);
}

describe("the README's five-minute tour, in any order", () => {
  let tour: string;
  let sample: SampleProcess;
  let ports: { api: number; issuer: number };
  let home: string;
  const runs: CliRun[] = [];

  /** The URLs of this run instead of the tour's defaults. */
  const here = (text: string) =>
    text.replaceAll(API, sample.banner.apiUrl).replaceAll(ISSUER, sample.banner.issuerUrl);
  /** Asserts that the tour shows `text` (with the default URLs; runs of white space are one). */
  const shows = (text: string) => {
    if (!tour.includes(text.replace(/\s+/g, ' '))) {
      throw new Error(`the README's tour does not show:\n${text}`);
    }
  };
  const env = () => ({
    HOME: home,
    PLATFORM_AUTH_ISSUER: sample.banner.issuerUrl,
    PLATFORM_CLI_API_URL: sample.banner.apiUrl,
    PLATFORM_CLIENT_CACHE_DIR: join(home, 'cli'),
    PLATFORM_CLI_DEVICE_INTERVAL_S: '0.2',
  });
  /** Runs a tour command (with $TOKEN from step 1 set) and waits for it. */
  const sh = async (command: string, { withToken = true } = {}) => {
    const run = runShell(
      withToken ? `${here(TOKEN_OF_STEP_1)}\n${here(command)}` : here(command),
      env(),
    );
    runs.push(run);
    const code = await run.exit;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  };
  /** Runs the tour's login command and signs `user` in on the device pages. */
  const login = async (command: string, user: 'alice' | 'bob') => {
    const run = runShell(here(command), env());
    runs.push(run);
    const [, uri] = await run.waitFor(/open this page on any device:\n\s+(\S+)/, 60_000);
    const [, code] = await run.waitFor(/enter the code:\s+(\S+)/);
    await approveDeviceCode(sample.banner.issuerUrl, uri, code, { username: user, password: user });
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toMatch(new RegExp(`^Logged in to \\S+ as ${user[0]}\\*\\*\\* `));
  };
  /** A `call` of step 6: exit code, stderr lines and stdout as the tour shows them. */
  const call = async (command: string, exit: number, stderr: string[], stdout: string) => {
    shows(command);
    for (const line of [...stderr, stdout]) shows(`# ${line}`);
    const result = await sh(command, { withToken: false });
    expect(result.code).toBe(exit);
    expect(result.stderr).toBe(stderr.map((line) => `${here(line)}\n`).join(''));
    expect(result.stdout).toBe(`${stdout}\n`);
  };

  const steps: Record<number, () => Promise<void>> = {
    1: async () => {
      const banner = sample.banner.curl!;
      shows(
        banner.replaceAll(sample.banner.apiUrl, API).replaceAll(sample.banner.issuerUrl, ISSUER),
      );
      expect(banner.startsWith(here(TOKEN_OF_STEP_1))).toBe(true);
      shows(`\`\`\`\n${ACME_DOCUMENTS}\n\`\`\``);
      const { stdout } = await sh(banner, { withToken: false });
      expect(stdout).toBe(ACME_DOCUMENTS);
    },
    2: async () => {
      const command = `curl -s -H "Authorization: Bearer $TOKEN" ${API}/me`;
      shows(command);
      const shown = / ```json (\{"subject":"sample-service"\S*\}) ``` /.exec(tour)![1];
      const { stdout } = await sh(command);
      expect(stdout).toMatch(shownPattern(here(shown)));
    },
    3: async () => {
      const refusals: Array<[string, string[], number, string | undefined, string | undefined]> = [
        [
          `curl -i ${API}/health                      # 200 {"status":"ok"}: public`,
          [],
          200,
          undefined,
          undefined,
        ],
        [
          `curl -i ${API}/documents                   # no token`,
          [`# 401  WWW-Authenticate: ${REALM}          reason CREDENTIALS_MISSING`],
          401,
          REALM,
          'CREDENTIALS_MISSING',
        ],
        [
          `curl -i -H "Authorization: Bearer nonsense" ${API}/me`,
          [
            `# 401  WWW-Authenticate: ${REALM}, error="invalid_token",`,
            '#      error_description="The access token is invalid"           reason TOKEN_INVALID',
          ],
          401,
          `${REALM}, error="invalid_token", error_description="The access token is invalid"`,
          'TOKEN_INVALID',
        ],
        [
          `curl -i -X POST -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\\n     -d '{"title":"hello"}' ${API}/documents  # the token has documents:read only`,
          [
            `# 403  WWW-Authenticate: ${REALM}, error="insufficient_scope",`,
            '#      error_description="The access token lacks a required scope", scope="documents:write"',
          ],
          403,
          `${REALM}, error="insufficient_scope", error_description="The access token lacks a required scope", scope="documents:write"`,
          undefined,
        ],
        [
          `curl -i -X DELETE -H "Authorization: Bearer $TOKEN" ${API}/documents/1`,
          [
            '# 403  … error="insufficient_scope", error_description="The caller lacks a required role"   reason INSUFFICIENT_ROLE',
          ],
          403,
          `${REALM}, error="insufficient_scope", error_description="The caller lacks a required role"`,
          'INSUFFICIENT_ROLE',
        ],
        [
          `curl -i -H "Authorization: Bearer $TOKEN" ${API}/tenants/globex/documents`,
          [
            '# 403  … error="insufficient_scope", error_description="The resource belongs to another tenant"   reason TENANT_MISMATCH',
          ],
          403,
          `${REALM}, error="insufficient_scope", error_description="The resource belongs to another tenant"`,
          'TENANT_MISMATCH',
        ],
      ];
      for (const [command, comments, status, challenge, reason] of refusals) {
        shows(command);
        for (const comment of comments) shows(comment);
        const answer = parseCurlI((await sh(command)).stdout);
        expect(answer.status).toBe(status);
        expect(answer.headers.get('www-authenticate')).toBe(
          challenge && challenge + challengeSuffix(sample.banner.apiUrl),
        );
        if (status === 200) expect(answer.body).toBe('{"status":"ok"}');
        if (reason) expect(JSON.parse(answer.body)).toMatchObject({ reason });
        expect(answer.body).not.toContain('nonsense');
      }
    },
    4: async () => {
      const block = [
        `W=$(curl -s -u sample-service:sample-service-secret -d grant_type=client_credentials \\\n     -d 'scope=documents:read documents:write' ${ISSUER}/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`,
        `DOC=$(curl -s -X POST -H "Authorization: Bearer $W" -H 'content-type: application/json' \\\n     -d '{"title":"hello"}' ${API}/documents) && echo "$DOC"`,
        `A=$(curl -s -u sample-admin:sample-admin-secret -d grant_type=client_credentials \\\n     -d 'scope=documents:read documents:write' ${ISSUER}/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`,
        `curl -i -X DELETE -H "Authorization: Bearer $A" ${API}/documents/$(echo "$DOC" | sed 's/.*"id":"\\([^"]*\\)".*/\\1/')`,
        `curl -i -X DELETE -H "Authorization: Bearer $A" ${API}/documents/2`,
      ];
      const created = '{"id":"…","tenant":"acme","title":"hello","createdBy":"sample-service"}';
      const notFound = '{"message":"No document 2","error":"Not Found","statusCode":404}';
      for (const command of block) shows(command);
      shows(`# ${created}   (201; a new id each time)`);
      shows(`# 404 ${notFound}`);
      const { stdout } = await sh(block.join('\n'), { withToken: false });
      const [doc, ...answers] = stdout.split(/\n(?=HTTP\/1\.1 )/);
      expect(doc).toMatch(shownPattern(created));
      expect(answers.map((answer) => parseCurlI(answer).status)).toEqual([204, 404]);
      expect(parseCurlI(answers[1]).body).toBe(notFound);
    },
    5: async () => {
      const command = `curl -s -H "Authorization: Bearer $TOKEN" ${API}/outbound/documents`;
      const shown = `{"calledUrl":"${API}/documents","documents":${ACME_DOCUMENTS}}`;
      shows(command);
      shows(`\`\`\`\n${shown}\n\`\`\``);
      expect((await sh(command)).stdout).toBe(here(shown));
    },
    6: async () => {
      const alice = 'npm run cli -- login --relogin                     # sign in as alice / alice';
      const bob = 'npm run cli -- login --relogin                     # sign in as bob / bob';
      shows(alice);
      shows(bob);
      await login(alice, 'alice');
      await call('npm run cli -- call GET /documents', 0, ['HTTP 200 OK'], ACME_DOCUMENTS);
      await call(
        'npm run cli -- call DELETE /documents/2            # alice is an admin, but of acme (exit 5)',
        5,
        ['HTTP 404 Not Found'],
        '{"message":"No document 2","error":"Not Found","statusCode":404}',
      );
      await login(bob, 'bob');
      await call('npm run cli -- call GET /documents', 0, ['HTTP 200 OK'], GLOBEX_DOCUMENTS);
      await call(
        "npm run cli -- call GET /tenants/acme/documents    # not bob's tenant (exit 5)",
        5,
        [
          'HTTP 403 Forbidden',
          `www-authenticate: ${REALM}, error="insufficient_scope", error_description="The resource belongs to another tenant"${challengeSuffix(API)}`,
        ],
        '{"statusCode":403,"error":"Forbidden","message":"The resource belongs to another tenant","reason":"TENANT_MISMATCH"}',
      );
    },
  };

  beforeAll(async () => {
    const text = await readFile(README, 'utf8');
    tour = text
      .slice(
        text.indexOf('## Five-minute tour with the sample'),
        text.indexOf('## Command-line login (CLI)'),
      )
      .replace(/\s+/g, ' ');
    ports = { api: await freePort(), issuer: await freePort() };
    home = await mkdtemp(join(tmpdir(), 'tour-e2e-'));
    sample = await startSample({
      PORT: String(ports.api),
      PLATFORM_SAMPLE_ISSUER_PORT: String(ports.issuer),
    });
  });
  afterEach(() => {
    for (const run of runs.splice(0)) killShell(run);
  });
  afterAll(async () => {
    await sample?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it.each([[[1, 2, 3, 4, 5, 6]], [[6, 5, 4, 3, 2, 1]], [[4, 6, 1, 5, 2, 3]]])(
    'steps %j each show what the README says, one order after another on one sample',
    async (order) => {
      for (const step of order) {
        try {
          await steps[step]();
        } catch (error) {
          throw new Error(`step ${step} of order ${order.join('-')}: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
    },
  );

  describe('after a restart of the sample (new keys, an issuer that forgot its sessions)', () => {
    let oldToken: string;

    beforeAll(async () => {
      const { stdout } = await sh('printf %s "$TOKEN"');
      oldToken = stdout;
      await login(
        'npm run cli -- login --relogin                     # sign in as alice / alice',
        'alice',
      );
      await sample.stop();
      sample = await startSample({
        PORT: String(ports.api),
        PLATFORM_SAMPLE_ISSUER_PORT: String(ports.issuer),
      });
    });

    it('the old $TOKEN gets 401 invalid_token, and the command of step 1 gives a fresh one', async () => {
      shows('`$TOKEN` gets `401 … error="invalid_token"`: paste the\ncommand of step 1 again');
      const old = await sh(`curl -i -H "Authorization: Bearer ${oldToken}" ${API}/documents`, {
        withToken: false,
      });
      const answer = parseCurlI(old.stdout);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      await steps[1]();
    });

    it('call says the session expired (exit 3), and login --relogin brings it back', async () => {
      shows('`Your session has expired or was revoked`');
      const stale = await sh('npm run cli -- call GET /documents', { withToken: false });
      expect(stale.code).toBe(3);
      expect(stale.stderr).toBe(
        'Your session has expired or was revoked. Log in again: npm run cli -- login\n',
      );
      await steps[6]();
    });
  });

  it('shows a configuration error exactly as the sample prints it', async () => {
    const shown =
      'The sample did not start: Invalid configuration:\n' +
      '  - PORT must be a port number from 0 to 65535 (0 picks a free port)\n' +
      '  - PLATFORM_AUTH_ALGORITHMS names algorithms case-sensitively, as JWA does (RFC 7518): write RS256\n';
    shows(shown);
    const { code, output } = await runSampleUntilExit({
      PORT: 'eighty',
      PLATFORM_AUTH_ALGORITHMS: 'rs256',
    });
    expect(code).toBe(1);
    expect(output).toContain(shown);
  });
});
