/**
 * The `error` of a `DPoP` challenge in `WWW-Authenticate` (`DPoP error="use_dpop_nonce", …`),
 * if the response carries one. Several challenges (separate headers or comma-joined) are
 * searched; only the `DPoP` scheme counts.
 * @see RFC 9449 §7.1, §9
 */
export function dpopChallengeError(
  header: string | readonly string[] | undefined,
): string | undefined {
  const values = typeof header === 'string' ? [header] : (header ?? []);
  for (const value of values) {
    // A challenge starts at a scheme token followed by a space, at the start or after a comma.
    const challenges = value.split(/,\s*(?=[A-Za-z][\w!#$%&'*+.^`|~-]*\s)/);
    for (const challenge of challenges) {
      const match = /^\s*DPoP\s+(.*)$/is.exec(challenge);
      if (!match) continue;
      const error = /(?:^|[\s,])error\s*=\s*(?:"([^"]*)"|([^\s,]+))/i.exec(match[1]!);
      if (error) return error[1] ?? error[2];
    }
  }
  return undefined;
}
