import { describe, expect, it } from '@jest/globals';
import { NotLoggedInError } from '@nest-platform/client/login';
import {
  answerOutput,
  apiRequest,
  ApiUnreachable,
  callWithSession,
  CliUsageError,
  type ApiSession,
} from './api-call.js';

const API = 'http://127.0.0.1:3000';

describe('apiRequest: what call sends', () => {
  it('resolves the path below the API and upper-cases the method', () => {
    const request = apiRequest(API, { method: 'get', path: '/documents?x=1' });
    expect(request).toEqual({
      method: 'GET',
      url: new URL('http://127.0.0.1:3000/documents?x=1'),
      headers: {},
    });
  });

  it('keeps the base path of an API mounted below the root', () => {
    expect(
      apiRequest('https://api.example.test/v1/', { method: 'GET', path: '/me' }).url.href,
    ).toBe('https://api.example.test/v1/me');
  });

  it('sends --data as JSON unless a content-type header says otherwise', () => {
    expect(
      apiRequest(API, { method: 'POST', path: '/documents', data: '{"title":"x"}' }),
    ).toMatchObject({ headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' });
    expect(
      apiRequest(API, {
        method: 'POST',
        path: '/documents',
        data: 'title=x',
        headers: ['Content-Type: application/x-www-form-urlencoded'],
      }).headers,
    ).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
  });

  describe('refuses, as a usage error (exit 2)', () => {
    it.each([
      ['an unknown method', { method: 'FETCH', path: '/documents' }, /^METHOD must be one of/],
      ['a path without a leading slash', { method: 'GET', path: 'documents' }, /^PATH must/],
      ['a path to another host', { method: 'GET', path: '//evil.example/x' }, /^PATH must/],
      ['a full URL', { method: 'GET', path: 'https://evil.example/x' }, /^PATH must/],
      ['a header without a colon', { method: 'GET', path: '/', headers: ['x'] }, /Name: value/],
      [
        'an Authorization header',
        { method: 'GET', path: '/', headers: ['Authorization: Bearer abc'] },
        /cannot set authorization/,
      ],
      ['a body on GET', { method: 'GET', path: '/', data: '{}' }, /cannot be sent with GET/],
    ])('%s', (_name, input, message) => {
      expect(() => apiRequest(API, input)).toThrow(CliUsageError);
      expect(() => apiRequest(API, input)).toThrow(message);
    });
  });
});

/** A session handing out `tokens` in turn; records what was rejected. */
function fakeSession(...tokens: string[]) {
  const rejected: string[] = [];
  let next = 0;
  const session: ApiSession = {
    accessToken: async () => {
      const token = tokens[Math.min(next, tokens.length - 1)];
      if (token === undefined) throw new NotLoggedInError();
      return token;
    },
    rejectAccessToken: async (token) => {
      rejected.push(token);
      next += 1;
    },
  };
  return { session, rejected };
}

/** A fetch answering with `statuses` in turn; records the Authorization of each request. */
function fakeFetch(...statuses: number[]) {
  const seen: Array<{ url: string; authorization: string | null; redirect?: string }> = [];
  const impl = (async (url: URL, init: RequestInit) => {
    seen.push({
      url: String(url),
      authorization: new Headers(init.headers).get('authorization'),
      redirect: init.redirect,
    });
    const status = statuses[Math.min(seen.length - 1, statuses.length - 1)];
    return new Response(status === 204 ? null : `{"n":${seen.length}}`, {
      status,
      headers: status === 401 ? { 'www-authenticate': 'Bearer error="invalid_token"' } : {},
    });
  }) as unknown as typeof fetch;
  return { impl, seen };
}

describe('callWithSession', () => {
  const request = apiRequest(API, { method: 'DELETE', path: '/documents/3' });

  it("sends the session's token, never following a redirect", async () => {
    const { session } = fakeSession('at-1');
    const { impl, seen } = fakeFetch(204);
    const { answer } = await callWithSession(session, request, { fetch: impl });
    expect(answer).toMatchObject({ status: 204, body: '' });
    expect(seen).toEqual([
      { url: `${API}/documents/3`, authorization: 'Bearer at-1', redirect: 'manual' },
    ]);
  });

  it('on 401 drops the token, refreshes and sends once more', async () => {
    const { session, rejected } = fakeSession('at-1', 'at-2');
    const { impl, seen } = fakeFetch(401, 200);
    const { answer, tokens } = await callWithSession(session, request, { fetch: impl });
    expect(answer.status).toBe(200);
    expect(rejected).toEqual(['at-1']);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer at-1', 'Bearer at-2']);
    expect(tokens).toEqual(['at-1', 'at-2']);
  });

  it('answers a second 401 as it is, without a third try', async () => {
    const { session } = fakeSession('at-1', 'at-2');
    const { impl, seen } = fakeFetch(401);
    const { answer } = await callWithSession(session, request, { fetch: impl });
    expect(answer.status).toBe(401);
    expect(seen).toHaveLength(2);
  });

  it('does not retry a 403', async () => {
    const { session, rejected } = fakeSession('at-1', 'at-2');
    const { impl, seen } = fakeFetch(403);
    expect((await callWithSession(session, request, { fetch: impl })).answer.status).toBe(403);
    expect(seen).toHaveLength(1);
    expect(rejected).toEqual([]);
  });

  it('passes on the session errors (not logged in)', async () => {
    const { session } = fakeSession();
    await expect(callWithSession(session, request, { fetch: fakeFetch(200).impl })).rejects.toThrow(
      NotLoggedInError,
    );
  });

  it('reports an unreachable API with the failure code only', async () => {
    const { session } = fakeSession('at-1');
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    }) as unknown as typeof fetch;
    const failure = callWithSession(session, request, { fetch: refused });
    await expect(failure).rejects.toBeInstanceOf(ApiUnreachable);
    await expect(failure).rejects.toThrow(
      'Could not reach the API at http://127.0.0.1:3000 (ECONNREFUSED).',
    );
  });
});

describe('answerOutput', () => {
  it('gives the status line and challenge for stderr, the body for stdout', () => {
    const output = answerOutput(
      {
        status: 403,
        statusText: 'Forbidden',
        headers: new Headers({
          'www-authenticate': 'Bearer realm="platform-sample", error="insufficient_scope"',
          'x-other': 'not shown',
        }),
        body: '{"statusCode":403}',
      },
      ['at-1'],
    );
    expect(output).toEqual({
      status: [
        'HTTP 403 Forbidden',
        'www-authenticate: Bearer realm="platform-sample", error="insufficient_scope"',
      ],
      body: '{"statusCode":403}',
    });
  });

  it('never prints a token the request carried, even when the API echoes it', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
    const output = answerOutput(
      {
        status: 200,
        statusText: 'OK',
        headers: new Headers({ location: `https://x.test/?t=${token}` }),
        body: `{"echo":"${token}"}`,
      },
      [token],
    );
    expect(JSON.stringify(output)).not.toContain(token);
    expect(output.body).toBe('{"echo":"[access token]"}');
  });
});
