import { describe, expect, it } from '@jest/globals';
import { InvalidConfigurationError } from '../errors/invalid-configuration.error.js';
import { resolveJwtAuthOptions } from '../jwt/jwt-auth.options.js';
import { jwtAuthOptionsFromConfig } from './jwt-auth-options-from-config.js';

const reader = (env: Record<string, string | undefined>) => ({
  get: <T>(name: string) => env[name] as T | undefined,
});

const VALID = {
  PLATFORM_AUTH_ISSUER: 'https://sso.example.com/realms/acme',
  PLATFORM_AUTH_AUDIENCE: 'documents-api',
};

function problemsOf(env: Record<string, string | undefined>) {
  try {
    jwtAuthOptionsFromConfig(reader(env));
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    return (error as InvalidConfigurationError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('jwtAuthOptionsFromConfig', () => {
  it('maps the minimal configuration onto options with the documented defaults', () => {
    const options = jwtAuthOptionsFromConfig(reader(VALID));
    expect(options).toEqual({
      issuers: [
        {
          issuer: 'https://sso.example.com/realms/acme',
          audience: ['documents-api'],
          algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
          claims: 'generic',
        },
      ],
      clockToleranceS: 30,
      allowHttp: false,
    });
    expect(() => resolveJwtAuthOptions(options)).not.toThrow();
  });

  it('maps every variable', () => {
    const options = jwtAuthOptionsFromConfig(
      reader({
        PLATFORM_AUTH_ISSUER: 'http://127.0.0.1:8080/realms/a',
        PLATFORM_AUTH_AUDIENCE: 'documents-api, account',
        PLATFORM_AUTH_JWKS_URI: 'http://127.0.0.1:8080/realms/a/certs',
        PLATFORM_AUTH_ALGORITHMS: 'ES256,EdDSA',
        PLATFORM_AUTH_CLAIMS_PROFILE: 'keycloak',
        PLATFORM_AUTH_CLOCK_TOLERANCE_S: '5',
        PLATFORM_AUTH_ALLOW_HTTP: 'true',
      }),
    );
    expect(options).toEqual({
      issuers: [
        {
          issuer: 'http://127.0.0.1:8080/realms/a',
          audience: ['documents-api', 'account'],
          algorithms: ['ES256', 'EdDSA'],
          claims: 'keycloak',
          jwksUri: 'http://127.0.0.1:8080/realms/a/certs',
        },
      ],
      clockToleranceS: 5,
      allowHttp: true,
    });
  });

  it('maps a comma-separated issuer list onto several issuers', () => {
    const options = jwtAuthOptionsFromConfig(
      reader({ ...VALID, PLATFORM_AUTH_ISSUER: 'https://a.example.com, https://b.example.com' }),
    );
    expect(options.issuers.map((issuer) => issuer.issuer)).toEqual([
      'https://a.example.com',
      'https://b.example.com',
    ]);
  });

  describe('refuses bad values, naming the variable and never echoing the value', () => {
    it.each([
      ['PLATFORM_AUTH_ISSUER', { PLATFORM_AUTH_ISSUER: undefined }],
      ['PLATFORM_AUTH_ISSUER', { PLATFORM_AUTH_ISSUER: 'not-a-url-secretish' }],
      ['PLATFORM_AUTH_ISSUER', { PLATFORM_AUTH_ISSUER: 'http://idp.example.com' }],
      ['PLATFORM_AUTH_ISSUER', { PLATFORM_AUTH_ISSUER: 'ftp://idp.example.com' }],
      ['PLATFORM_AUTH_AUDIENCE', { PLATFORM_AUTH_AUDIENCE: undefined }],
      ['PLATFORM_AUTH_JWKS_URI', { PLATFORM_AUTH_JWKS_URI: 'certs-secretish' }],
      ['PLATFORM_AUTH_JWKS_URI', { PLATFORM_AUTH_JWKS_URI: 'http://idp.example.com/certs' }],
      ['PLATFORM_AUTH_ALGORITHMS', { PLATFORM_AUTH_ALGORITHMS: 'HS256' }],
      ['PLATFORM_AUTH_ALGORITHMS', { PLATFORM_AUTH_ALGORITHMS: 'none' }],
      ['PLATFORM_AUTH_ALGORITHMS', { PLATFORM_AUTH_ALGORITHMS: 'RS256;ES256' }],
      ['PLATFORM_AUTH_CLAIMS_PROFILE', { PLATFORM_AUTH_CLAIMS_PROFILE: 'google-secretish' }],
      ['PLATFORM_AUTH_CLOCK_TOLERANCE_S', { PLATFORM_AUTH_CLOCK_TOLERANCE_S: 'thirty' }],
      ['PLATFORM_AUTH_CLOCK_TOLERANCE_S', { PLATFORM_AUTH_CLOCK_TOLERANCE_S: '-1' }],
      ['PLATFORM_AUTH_CLOCK_TOLERANCE_S', { PLATFORM_AUTH_CLOCK_TOLERANCE_S: '301' }],
      ['PLATFORM_AUTH_ALLOW_HTTP', { PLATFORM_AUTH_ALLOW_HTTP: 'yes' }],
    ])('%s = %j', (variable, override) => {
      const problems = problemsOf({ ...VALID, ...override });
      expect(problems.map((problem) => problem.variable)).toEqual([variable]);
      const message = new InvalidConfigurationError(problems).message;
      expect(message).toContain(variable);
      expect(message).not.toContain('secretish');
    });

    it('says that algorithm names are case-sensitive when one is in the wrong case', () => {
      expect(problemsOf({ ...VALID, PLATFORM_AUTH_ALGORITHMS: 'rs256,Es256,EdDSA' })).toEqual([
        {
          variable: 'PLATFORM_AUTH_ALGORITHMS',
          problem: 'names algorithms case-sensitively, as JWA does (RFC 7518): write RS256, ES256',
        },
      ]);
    });

    it('reports a wrong case and a refused algorithm as two problems', () => {
      const problems = problemsOf({ ...VALID, PLATFORM_AUTH_ALGORITHMS: 'rs256,HS256' });
      expect(problems.map((problem) => problem.problem)).toEqual([
        expect.stringContaining('case-sensitively'),
        expect.stringContaining('allows only asymmetric algorithms'),
      ]);
    });

    it('refuses a JWKS URI shared by several issuers', () => {
      const problems = problemsOf({
        ...VALID,
        PLATFORM_AUTH_ISSUER: 'https://a.example.com,https://b.example.com',
        PLATFORM_AUTH_JWKS_URI: 'https://a.example.com/jwks',
      });
      expect(problems).toEqual([
        { variable: 'PLATFORM_AUTH_JWKS_URI', problem: expect.stringContaining('single issuer') },
      ]);
    });

    it('lists every bad variable at once', () => {
      const problems = problemsOf({
        PLATFORM_AUTH_CLAIMS_PROFILE: 'nope',
        PLATFORM_AUTH_ALLOW_HTTP: '1',
      });
      expect(problems.map((problem) => problem.variable).sort()).toEqual([
        'PLATFORM_AUTH_ALLOW_HTTP',
        'PLATFORM_AUTH_AUDIENCE',
        'PLATFORM_AUTH_CLAIMS_PROFILE',
        'PLATFORM_AUTH_ISSUER',
      ]);
    });
  });
});
