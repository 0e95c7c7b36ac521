import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stateless server nonces (RFC 9449 §9), after oidc-provider's: the nonce of a time step is
 * HMAC-SHA256(secret, step), so replicas sharing the secret agree without shared state. The
 * current step's nonce is handed out; the previous and next steps' are still accepted (a nonce
 * lives between one and two rotation periods; replicas may differ by a step).
 */
export class DpopNonces {
  private cached?: { step: number; nonce: string };

  constructor(
    private readonly secret: Uint8Array,
    private readonly rotationS: number,
    private readonly now: () => number,
  ) {}

  /** The nonce to hand out now (`DPoP-Nonce`). */
  current(): string {
    return this.nonceOf(this.step());
  }

  /** Whether a proof's `nonce` is the current, the previous or the next step's. */
  accepts(nonce: unknown): boolean {
    if (typeof nonce !== 'string' || nonce.length !== 43) return false;
    const step = this.step();
    const presented = Buffer.from(nonce);
    return [step, step - 1, step + 1].some((s) =>
      timingSafeEqual(presented, Buffer.from(this.nonceOf(s))),
    );
  }

  private step(): number {
    return Math.floor(this.now() / 1000 / this.rotationS);
  }

  private nonceOf(step: number): string {
    if (this.cached?.step === step) return this.cached.nonce;
    const nonce = createHmac('sha256', this.secret)
      .update(`platform-auth dpop nonce ${step}`)
      .digest('base64url');
    if (step === this.step()) this.cached = { step, nonce };
    return nonce;
  }
}
