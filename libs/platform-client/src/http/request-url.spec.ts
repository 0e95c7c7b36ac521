import { describe, expect, it } from '@jest/globals';
import { resolveRequestUrl } from './request-url.js';

const BASE = new URL('https://api.example.test/v1');

describe('resolveRequestUrl', () => {
  it.each([
    ['/users', 'https://api.example.test/v1/users'],
    ['users', 'https://api.example.test/v1/users'],
    ['', 'https://api.example.test/v1'],
    ['/a/b?x=1', 'https://api.example.test/v1/a/b?x=1'],
    ['/a#frag', 'https://api.example.test/v1/a'],
    ['https://api.example.test/other', 'https://api.example.test/other'],
  ])('%j → %s', (path, expected) => {
    expect(resolveRequestUrl(BASE, path).href).toBe(expected);
  });

  it('joins onto a base URL with a trailing slash without doubling it', () => {
    expect(resolveRequestUrl(new URL('https://api.example.test/v1/'), '/x').href).toBe(
      'https://api.example.test/v1/x',
    );
  });

  it('appends query values, repeating array keys and skipping undefined', () => {
    const url = resolveRequestUrl(BASE, '/s?fixed=1', {
      q: 'a b',
      n: 2,
      on: true,
      tag: ['x', 'y'],
      none: undefined,
    });
    expect(url.search).toBe('?fixed=1&q=a+b&n=2&on=true&tag=x&tag=y');
  });

  describe('never leaves the base origin', () => {
    it.each([
      'https://evil.test/steal',
      '//evil.test/steal',
      '\\\\evil.test/steal',
      'http://api.example.test/v1',
      'https://api.example.test:8443/v1',
      'javascript:alert(1)',
    ])('%j is a TypeError', (path) => {
      expect(() => resolveRequestUrl(BASE, path)).toThrow(TypeError);
    });

    it('keeps backslashes and dot segments on the same origin', () => {
      expect(resolveRequestUrl(BASE, '\\evil.test').origin).toBe(BASE.origin);
      expect(resolveRequestUrl(BASE, '/../../admin').href).toBe('https://api.example.test/admin');
      expect(resolveRequestUrl(BASE, '@evil.test/x').origin).toBe(BASE.origin);
    });
  });
});
