import { describe, expect, it } from '@jest/globals';
import { CliConfigError, resolveCliConfig } from './cli-config.js';

const HOME = '/home/someone';

describe('resolveCliConfig', () => {
  it('defaults to the embedded issuer on 127.0.0.1:3001 over http', () => {
    const config = resolveCliConfig({}, {}, HOME);
    expect(config.issuer).toBe('http://127.0.0.1:3001');
    expect(config.allowHttp).toBe(true);
    expect(config.cacheDir).toBe('/home/someone/.config/platform-sample');
  });

  it('accepts https issuers anywhere (without allowing http)', () => {
    const config = resolveCliConfig({ PLATFORM_AUTH_ISSUER: 'https://id.example.com' }, {}, HOME);
    expect(config.allowHttp).toBe(false);
  });

  describe('http:// issuers (RFC 8252 §8.3: loopback IP literals only)', () => {
    it.each(['http://127.0.0.1:3001', 'http://127.10.20.30:3001', 'http://[::1]:3001'])(
      'accepts %s',
      (issuer) => {
        expect(resolveCliConfig({ PLATFORM_AUTH_ISSUER: issuer }, {}, HOME).allowHttp).toBe(true);
      },
    );

    it.each([
      'http://localhost:3001',
      'http://LOCALHOST:3001',
      'http://localhost.:3001',
      'http://127.0.0.1.nip.io:3001',
      'http://id.example.com',
      'http://[::2]:3001',
      'http://128.0.0.1:3001',
    ])('refuses %s, naming the variable', (issuer) => {
      expect(() => resolveCliConfig({ PLATFORM_AUTH_ISSUER: issuer }, {}, HOME)).toThrow(
        CliConfigError,
      );
      expect(() => resolveCliConfig({ PLATFORM_AUTH_ISSUER: issuer }, {}, HOME)).toThrow(
        /^PLATFORM_AUTH_ISSUER must be an https:\/\/ URL .*not localhost/,
      );
    });

    it('names --issuer when the flag is the source', () => {
      expect(() => resolveCliConfig({}, { issuer: 'http://localhost:3001' }, HOME)).toThrow(
        /^--issuer must be an https:\/\/ URL/,
      );
    });
  });
});
