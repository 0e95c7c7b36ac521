import { describe, expect, it } from '@jest/globals';
import { isMediaType, mediaType } from './media-type.js';

describe('isMediaType', () => {
  const AT_JWT = mediaType('at+jwt');

  it('compares media types with their top-level type, in lower case', () => {
    expect(AT_JWT).toBe('application/at+jwt');
    expect(mediaType('Application/AT+JWT')).toBe(AT_JWT);
    expect(mediaType('text/at+jwt')).toBe('text/at+jwt');
  });

  it.each(['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/AT+JWT'])('matches %s', (typ) => {
    expect(isMediaType(typ, AT_JWT)).toBe(true);
  });

  it.each(['jwt', 'at+jwt ', 'text/at+jwt', 'application/x/at+jwt', '', undefined, ['at+jwt']])(
    'does not match %p',
    (typ) => {
      expect(isMediaType(typ, AT_JWT)).toBe(false);
    },
  );
});
