/**
 * The Lua scripts of the lease protocol. Each runs atomically on the server, so the check of the
 * fencing value and the write it guards cannot be separated by another holder. KEYS[1] is always
 * the lease and KEYS[2] the entry: both carry the same hash tag, so in a Cluster they are in one
 * slot and a script may touch both.
 */
export interface LeaseScript {
  /** Name of the ioredis custom command (`defineCommand`), namespaced. */
  readonly name: string;
  readonly numberOfKeys: number;
  readonly lua: string;
}

/**
 * ARGV: fence, lease ms. Takes the lease if it is free (`SET NX PX`) and reads the entry in the
 * same step (the re-read after taking it): `{1, entry}`; else `{0, remaining ms of the lease}`.
 */
export const ACQUIRE_LEASE: LeaseScript = {
  name: 'platformClientAcquireLease',
  numberOfKeys: 2,
  lua: `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2])}
end
return {0, redis.call('PTTL', KEYS[1])}`,
};

/** ARGV: fence, lease ms. Extends the lease if it is still ours: 1, else 0. */
export const RENEW_LEASE: LeaseScript = {
  name: 'platformClientRenewLease',
  numberOfKeys: 1,
  lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`,
};

/**
 * ARGV: fence, value, entry ms. The compare-and-set: writes the entry (expiring after entry ms)
 * only while the lease holds our fence: 1, else 0 and nothing written.
 */
export const FENCED_SET: LeaseScript = {
  name: 'platformClientFencedSet',
  numberOfKeys: 2,
  lua: `if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1`,
};

/** ARGV: fence. Deletes the entry only while the lease holds our fence: 1, else 0. */
export const FENCED_DELETE: LeaseScript = {
  name: 'platformClientFencedDelete',
  numberOfKeys: 2,
  lua: `if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[2])
return 1`,
};

/** ARGV: fence. Frees the lease if it is still ours (a lapsed one may be someone else's). */
export const RELEASE_LEASE: LeaseScript = {
  name: 'platformClientReleaseLease',
  numberOfKeys: 1,
  lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
};

export const LEASE_SCRIPTS = [
  ACQUIRE_LEASE,
  RENEW_LEASE,
  FENCED_SET,
  FENCED_DELETE,
  RELEASE_LEASE,
] as const;
