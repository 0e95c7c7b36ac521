import { describe, expect, it } from '@jest/globals';
import { AuthorizationDecision } from '../../decisions/authorization-decision.js';
import { extractHttpSnapshot } from './http-snapshot.extractor.js';

const extract = (...values: string[]) =>
  extractHttpSnapshot({
    rawHeaders: values.flatMap((v) => ['X-Platform-Auth-Snapshot', v]),
    url: '/',
  });
const reasonOf = (result: unknown) =>
  result instanceof AuthorizationDecision ? `${result.state}:${result.reason}` : result;

describe('HTTP snapshot header extraction', () => {
  it('finds none without the header, and reads one b64token value', () => {
    expect(extractHttpSnapshot({ rawHeaders: ['Host', 'x'], url: '/' })).toBeUndefined();
    expect(extract('aGVhZA.Y2xhaW1z.c2ln')).toBe('aGVhZA.Y2xhaW1z.c2ln');
    expect(extract(' \taGVhZA.Y2xhaW1z.c2ln\t ')).toBe('aGVhZA.Y2xhaW1z.c2ln');
  });

  it('calls two headers ambiguous', () => {
    expect(reasonOf(extract('a.b.c', 'a.b.c'))).toBe('CHALLENGE:CREDENTIALS_AMBIGUOUS');
  });

  // The same syntax as a bearer token (RFC 6750 §2.1 b64token): a value that is not one is a
  // malformed request (400), a well-formed one that fails verification a 401.
  it.each([
    ['empty', ''],
    ['whitespace only', '  '],
    ['two values', 'a.b.c d.e.f'],
    ['a comma list (two headers joined by a proxy)', 'a.b.c, d.e.f'],
    ['a tab inside', 'a.b\t.c'],
    ['a quoted value', '"a.b.c"'],
    ['a non-ASCII character', 'a.b.c\u00e9'],
  ])('calls a value that is not a b64token malformed (%s)', (_name, value) => {
    expect(reasonOf(extract(value))).toBe('CHALLENGE:CREDENTIALS_MALFORMED');
  });
});
