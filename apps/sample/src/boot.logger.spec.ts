import { describe, expect, it } from '@jest/globals';
import { BootLogger } from './boot.logger.js';

/** A BootLogger whose output lands in `lines` (Nest's console logger writes to process streams). */
function logger() {
  const lines: string[] = [];
  const boot = new BootLogger({ json: true });
  (boot as unknown as { printMessages: unknown }).printMessages = (
    messages: unknown[],
    context: string,
    level: string,
  ) => lines.push(`${level} [${context}] ${messages.map(String).join(' ')}`);
  return { boot, lines };
}

describe('BootLogger', () => {
  it('holds "successfully started" back until the API listens', () => {
    const { boot, lines } = logger();
    boot.log('AppModule dependencies initialized', 'InstanceLoader');
    boot.log('Nest application successfully started', 'NestApplication');
    expect(lines).toEqual(['log [InstanceLoader] AppModule dependencies initialized']);
    boot.booted();
    expect(lines.at(-1)).toBe('log [NestApplication] Nest application successfully started');
  });

  it('never logs "successfully started" when listening fails (no booted call)', () => {
    const { boot, lines } = logger();
    boot.log('Nest application successfully started', 'NestApplication');
    boot.error('listen EADDRINUSE', 'NestApplication');
    expect(lines).toEqual([]);
  });

  it('leaves boot errors to main.ts while booting, and logs every error afterwards', () => {
    const { boot, lines } = logger();
    boot.error('a factory failed', undefined, 'ExceptionHandler');
    boot.booted();
    boot.error('a request failed', undefined, 'ExceptionsHandler');
    boot.log('later', 'NestApplication');
    expect(lines).toEqual([
      'error [ExceptionsHandler] a request failed',
      'log [NestApplication] later',
    ]);
  });
});
