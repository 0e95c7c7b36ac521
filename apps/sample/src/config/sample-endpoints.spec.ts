import { createServer } from 'node:net';
import { ConfigService } from '@nestjs/config';
import { describe, expect, it } from '@jest/globals';
import { PortInUseError, SampleEndpoints } from './sample-endpoints.js';
import { SampleConfigurationError } from './sample.environment.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether something listens on the port (a fresh bind fails). */
async function listening(port: number): Promise<boolean> {
  const probe = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (bound) await new Promise((resolve) => probe.close(resolve));
  return !bound;
}

describe('SampleEndpoints.fromConfig (embedded mode)', () => {
  it('validates the PLATFORM_AUTH_* variables before starting the issuer, so none is left listening', async () => {
    const issuerPort = await freePort();
    const config = new ConfigService({
      PORT: '0',
      PLATFORM_SAMPLE_ISSUER_PORT: String(issuerPort),
      PLATFORM_AUTH_CLOCK_TOLERANCE_S: 'abc',
    });
    await expect(SampleEndpoints.fromConfig(config)).rejects.toMatchObject({
      name: 'SampleConfigurationError',
      message: expect.stringContaining('PLATFORM_AUTH_CLOCK_TOLERANCE_S'),
    });
    expect(await listening(issuerPort)).toBe(false);
  });

  it('reports PORT together with the PLATFORM_AUTH_* problems, in one error', async () => {
    const issuerPort = await freePort();
    const config = new ConfigService({
      PORT: 'eighty',
      PLATFORM_SAMPLE_ISSUER_PORT: String(issuerPort),
      PLATFORM_AUTH_CLOCK_TOLERANCE_S: 'abc',
      PLATFORM_AUTH_ALGORITHMS: 'rs256',
    });
    const failure = SampleEndpoints.fromConfig(config);
    await expect(failure).rejects.toBeInstanceOf(SampleConfigurationError);
    await expect(failure).rejects.toMatchObject({
      problems: [
        expect.stringMatching(/^PORT must be a port number/),
        expect.stringMatching(/^PLATFORM_AUTH_CLOCK_TOLERANCE_S /),
        expect.stringMatching(/^PLATFORM_AUTH_ALGORITHMS names algorithms case-sensitively/),
      ],
    });
    expect(await listening(issuerPort)).toBe(false);
  });

  it('names PLATFORM_SAMPLE_ISSUER_PORT when the issuer port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const config = new ConfigService({ PORT: '0', PLATFORM_SAMPLE_ISSUER_PORT: String(port) });
      const failure = SampleEndpoints.fromConfig(config);
      await expect(failure).rejects.toBeInstanceOf(PortInUseError);
      await expect(failure).rejects.toMatchObject({
        variable: 'PLATFORM_SAMPLE_ISSUER_PORT',
        port,
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('starts the issuer when the configuration is valid, and stops it at shutdown', async () => {
    const issuerPort = await freePort();
    const config = new ConfigService({
      PORT: '0',
      PLATFORM_SAMPLE_ISSUER_PORT: String(issuerPort),
    });
    const endpoints = await SampleEndpoints.fromConfig(config);
    expect(endpoints.issuer).toMatchObject({
      mode: 'embedded',
      url: `http://127.0.0.1:${issuerPort}`,
    });
    expect(await listening(issuerPort)).toBe(true);
    await endpoints.onApplicationShutdown();
    expect(await listening(issuerPort)).toBe(false);
  });
});

describe('SampleEndpoints.fromConfig (external mode)', () => {
  it('reports PORT, PLATFORM_AUTH_* and PLATFORM_CLIENT_* problems in one error', async () => {
    const config = new ConfigService({
      PORT: '70000',
      PLATFORM_AUTH_ISSUER: 'https://id.example.test',
      PLATFORM_AUTH_AUDIENCE: 'https://api.example.test',
      PLATFORM_AUTH_CLAIMS_PROFILE: 'nope',
      PLATFORM_CLIENT_BASE_URL: 'https://api.example.test',
      PLATFORM_CLIENT_RETRIES: 'many',
    });
    const error = (await SampleEndpoints.fromConfig(config).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(SampleConfigurationError);
    expect((error as SampleConfigurationError).problems).toEqual([
      expect.stringMatching(/^PORT /),
      expect.stringMatching(/^PLATFORM_AUTH_CLAIMS_PROFILE /),
      expect.stringMatching(/^PLATFORM_CLIENT_RETRIES /),
    ]);
    expect(error.message).toMatch(/^Invalid configuration:\n {2}- PORT /);
    expect(error.message).not.toContain('nope');
    expect(error.message).not.toContain('many');
  });
});
