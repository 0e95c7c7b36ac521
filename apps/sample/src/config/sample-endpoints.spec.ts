import { createServer } from 'node:net';
import { ConfigService } from '@nestjs/config';
import { describe, expect, it } from '@jest/globals';
import { PortInUseError, SampleEndpoints } from './sample-endpoints.js';

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
      code: 'INVALID_CONFIGURATION',
      message: expect.stringContaining('PLATFORM_AUTH_CLOCK_TOLERANCE_S'),
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
