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

  describe('the API URL of call', () => {
    it('defaults to the sample API on 127.0.0.1, on PORT when set', () => {
      expect(resolveCliConfig({}, {}, HOME).apiUrl).toBe('http://127.0.0.1:3000');
      expect(resolveCliConfig({ PORT: '3100' }, {}, HOME).apiUrl).toBe('http://127.0.0.1:3100');
    });

    it('takes PLATFORM_CLI_API_URL, then --api-url, without a trailing slash', () => {
      const env = { PLATFORM_CLI_API_URL: 'https://api.example.test/v1/' };
      expect(resolveCliConfig(env, {}, HOME).apiUrl).toBe('https://api.example.test/v1');
      expect(resolveCliConfig(env, { apiUrl: 'http://[::1]:8080' }, HOME).apiUrl).toBe(
        'http://[::1]:8080',
      );
    });

    it.each([
      [
        { PLATFORM_CLI_API_URL: 'http://api.example.test' },
        /^PLATFORM_CLI_API_URL must be an https/,
      ],
      [
        { PLATFORM_CLI_API_URL: 'https://u:p@api.example.test' },
        /without query, fragment or credentials/,
      ],
      [{ PORT: 'eighty' }, /^PORT must be a port/],
    ])('refuses %j, naming the variable (the token would go there)', (env, message) => {
      expect(() => resolveCliConfig(env, {}, HOME)).toThrow(message);
    });
  });
});
