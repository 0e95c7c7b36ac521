import { describe, expect, it } from '@jest/globals';
import { decodeUnverifiedJwt, usesJwsExtension } from './compact-jws.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = segment({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' });
const PAYLOAD = segment({ iss: 'https://issuer.example', sub: 'alice' });
const jwt = (signature: string) => `${HEADER}.${PAYLOAD}.${signature}`;
const roundTrips = (signature: string) =>
  Buffer.from(signature, 'base64url').toString('base64url') === signature;

describe('decodeUnverifiedJwt', () => {
  it('decodes the header and claims of a well-formed compact JWS, and keeps its segments', () => {
    const token = jwt('c2lnbmF0dXJl');
    const [header, payload] = token.split('.');
    expect(decodeUnverifiedJwt(token)).toEqual({
      header: { alg: 'RS256', typ: 'at+jwt', kid: 'k1' },
      payload: { iss: 'https://issuer.example', sub: 'alice' },
      signingInput: `${header}.${payload}`,
      payloadSegment: payload,
      signature: Buffer.from('signature'),
    });
  });

  it('accepts a signature exactly when it is the canonical encoding of its bytes', () => {
    // Every last character after every prefix length mod 4: the answer must match a decode and
    // re-encode round trip, i.e. spare bits set or a length of 1 mod 4 is refused.
    let accepted = 0;
    let refused = 0;
    for (const prefix of ['', 'Q', 'QU', 'QUJ', 'QUJD', 'QUJDR', 'QUJDRE']) {
      for (const last of ALPHABET) {
        const signature = prefix + last;
        const canonical = roundTrips(signature);
        expect([signature, decodeUnverifiedJwt(jwt(signature)) !== undefined]).toEqual([
          signature,
          canonical,
        ]);
        if (canonical) accepted += 1;
        else refused += 1;
      }
    }
    // Lengths 1..7: 1 and 5 never; 2 and 6 with 4 spare bits (4 of 64); 3 and 7 with 2 (16); 4 all.
    expect({ accepted, refused }).toEqual({
      accepted: 4 + 16 + 64 + 4 + 16,
      refused: 7 * 64 - 104,
    });
  });

  it('refuses a re-spelled signature of a real one (spare bits set)', () => {
    const bytes = Buffer.alloc(256, 7); // an RS256 signature's size: 342 characters, 4 spare bits
    const signature = bytes.toString('base64url');
    expect(decodeUnverifiedJwt(jwt(signature))).toBeDefined();
    const last = ALPHABET.indexOf(signature.at(-1)!);
    const respelled = signature.slice(0, -1) + ALPHABET[last | 1];
    expect(respelled).not.toBe(signature);
    expect(Buffer.from(respelled, 'base64url')).toEqual(bytes); // same bytes, other spelling
    expect(decodeUnverifiedJwt(jwt(respelled))).toBeUndefined();
  });

  it.each([
    ['two segments', `${HEADER}.${PAYLOAD}`],
    ['four segments', `${HEADER}.${PAYLOAD}.c2ln.c2ln`],
    ['padding', jwt('c2lnbg==')],
    ['standard base64 characters', jwt('c2ln+/')],
    ['an empty signature', `${HEADER}.${PAYLOAD}.`],
    ['a header that is not JSON', `bm90IGpzb24.${PAYLOAD}.c2ln`],
    ['claims that are an array', `${HEADER}.${segment([1, 2])}.c2ln`],
    ['claims that are null', `${HEADER}.${segment(null as unknown as object)}.c2ln`],
  ])('refuses %s', (_name, token) => {
    expect(decodeUnverifiedJwt(token)).toBeUndefined();
  });
});

describe('the shared header check (JWT provider and snapshot verifier)', () => {
  const withHeader = (header: object) => `${segment(header)}.${PAYLOAD}.c2ln`;
  const BASE = { alg: 'RS256', typ: 'at+jwt', kid: 'k1' };

  it.each([
    ['an RFC 7797 unencoded payload (crit b64, b64 false)', { b64: false, crit: ['b64'] }],
    ['crit b64 with b64 true', { b64: true, crit: ['b64'] }],
    ['b64 false without crit', { b64: false }],
    ['b64 true without crit', { b64: true }],
    [
      'an extension neither verifier implements',
      { crit: ['urn:example:policy'], 'urn:example:policy': 1 },
    ],
    ['an empty crit list', { crit: [] }],
    ['a crit that is not a list', { crit: 'b64' }],
  ])('refuses a header with %s before anything else is decoded', (_name, extension) => {
    expect(decodeUnverifiedJwt(withHeader({ ...BASE, ...extension }))).toBeUndefined();
    expect(usesJwsExtension({ ...BASE, ...extension })).toBe(true);
  });

  it('accepts the same header without them', () => {
    expect(decodeUnverifiedJwt(withHeader(BASE))).toBeDefined();
    expect(usesJwsExtension(BASE)).toBe(false);
  });
});
