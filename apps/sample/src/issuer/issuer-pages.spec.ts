import { describe, expect, it } from '@jest/globals';
import { deviceInputError } from './issuer-pages.js';

describe('deviceInputError: what the device code page says after a re-render', () => {
  it('says nothing on a first visit', () => {
    expect(deviceInputError(undefined)).toBeUndefined();
  });

  it('says the sign-in was cancelled after Abort, Cancel or Deny, not that the code is invalid', () => {
    const message = deviceInputError({ name: 'AbortedError' });
    expect(message).toMatch(/^The sign-in was cancelled/);
    expect(message).not.toMatch(/not valid/);
  });

  it.each([
    ['NotFoundError', 'That code is not valid. Try again.'],
    ['NoCodeError', 'That code is not valid. Try again.'],
    ['ExpiredError', expect.stringMatching(/^That code has expired/)],
    ['AlreadyUsedError', expect.stringMatching(/^That code has already been used/)],
  ])('%s: %s', (name, expected) => {
    expect(deviceInputError({ name, userCode: 'ABCD-EFGH' })).toEqual(expected);
  });

  it('says something went wrong for any other error', () => {
    expect(deviceInputError({ name: 'InvalidRequest' })).toMatch(/^Something went wrong/);
  });
});
