import { describe, expect, it } from '@jest/globals';
import { openAuthSnapshotEnvelope, withAuthSnapshot } from './auth-snapshot.envelope.js';

describe('auth snapshot envelopes', () => {
  it('opens what withAuthSnapshot() made', () => {
    expect(openAuthSnapshotEnvelope(withAuthSnapshot({ id: 1 }, 'a.b.c'))).toEqual({
      snapshot: 'a.b.c',
      data: { id: 1 },
    });
  });

  it('is no envelope without the snapshot field', () => {
    expect(openAuthSnapshotEnvelope({ data: 1 })).toBeUndefined();
    expect(openAuthSnapshotEnvelope('a.b.c')).toBeUndefined();
  });

  it.each([
    ['a snapshot that is not a string', { 'x-platform-auth-snapshot': 42, data: 1 }],
    ['an empty snapshot', { 'x-platform-auth-snapshot': '', data: 1 }],
    ['two snapshots in one string', { 'x-platform-auth-snapshot': 'a.b.c d.e.f', data: 1 }],
    ['a comma list', { 'x-platform-auth-snapshot': 'a.b.c,d.e.f', data: 1 }],
    ['an extra member', { 'x-platform-auth-snapshot': 'a.b.c', data: 1, more: 2 }],
  ])('calls an envelope with %s malformed', (_name, value) => {
    expect(openAuthSnapshotEnvelope(value)).toBeNull();
  });
});
