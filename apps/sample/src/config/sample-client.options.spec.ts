import { ConfigService } from '@nestjs/config';
import { describe, expect, it } from '@jest/globals';
import { sampleClientOptions, UNCONFIGURED_OUTBOUND_URL } from './sample-client.options.js';
import { SampleEndpoints } from './sample-endpoints.js';

const api = { port: 3000, url: 'http://127.0.0.1:3000' };

describe('sampleClientOptions', () => {
  it('embedded mode: the API itself over loopback http, with the demo service token', () => {
    const endpoints = new SampleEndpoints(api, {
      mode: 'embedded',
      url: 'http://127.0.0.1:3001',
      audience: 'urn:platform-sample:api',
    });
    const options = sampleClientOptions(new ConfigService({}), endpoints);
    expect(options).toMatchObject({ baseUrl: api.url, allowHttp: true });
    expect(options.token).toBeDefined();
  });

  describe('external mode without PLATFORM_CLIENT_BASE_URL', () => {
    const endpoints = new SampleEndpoints(api, {
      mode: 'external',
      urls: ['https://id.example.test'],
    });

    it('builds a client that sends no token, so nothing needs (or warns about) allowHttp', () => {
      const options = sampleClientOptions(new ConfigService({}), endpoints);
      expect(options).toEqual({ baseUrl: UNCONFIGURED_OUTBOUND_URL, retries: 0 });
      expect(options.allowHttp).toBeUndefined();
      expect(new URL(options.baseUrl).protocol).toBe('https:');
    });
  });
});
