import { describe, expect, it } from '@jest/globals';
import {
  EMPTY_BODY_DIGEST,
  httpSnapshotBinding,
  messageSnapshotBinding,
  wsSnapshotBinding,
} from './snapshot-binding.js';

describe('snapshot bindings', () => {
  it('bind the HTTP content type as media type and charset, lower-cased, nothing assumed', () => {
    const bind = (contentType?: string) =>
      httpSnapshotBinding('post', '/t', EMPTY_BODY_DIGEST, contentType);
    expect(bind('Application/JSON; Charset="UTF-8"; boundary=x')).toBe(
      `http POST /t application/json;charset=utf-8 ${EMPTY_BODY_DIGEST}`,
    );
    expect(bind('application/json')).not.toBe(bind('application/json; charset=utf-8'));
    expect(bind('application/json')).not.toBe(bind('text/plain'));
    expect(bind(undefined)).toBe(`http POST /t - ${EMPTY_BODY_DIGEST}`);
  });

  it('bind a message to its kind: a request and an event of the same pattern differ', () => {
    expect(messageSnapshotBinding('a', { x: 1 }, 'request')).not.toBe(
      messageSnapshotBinding('a', { x: 1 }, 'event'),
    );
    expect(() => messageSnapshotBinding('a', {}, 'other' as 'event')).toThrow(TypeError);
  });

  it('bind a handshake to the normalised pathname platform-ws routes on', () => {
    for (const target of ['/ws', '/ws?token=1', '/a/../ws', '/./ws#f', 'http://proxy.test/ws']) {
      expect(wsSnapshotBinding(target)).toBe('ws /ws');
    }
    expect(wsSnapshotBinding('/other')).toBe('ws /other');
  });
});
