import { describe, expect, it } from '@jest/globals';
import { describeOrigin } from './provider-origin.js';

describe('describeOrigin', () => {
  it("says a library module registered what it holds, and an app module's providers are the app's", () => {
    expect(describeOrigin({ module: 'JwtAuthModule', library: true })).toBe(
      'registered by JwtAuthModule',
    );
    expect(
      describeOrigin({
        module: 'JwtAuthModule',
        library: true,
        importedBy: 'PlatformAuthTestingModule',
      }),
    ).toBe('registered by JwtAuthModule (imported by PlatformAuthTestingModule)');
    expect(describeOrigin({ module: 'AppModule', library: false })).toBe('AppModule providers');
  });
});
