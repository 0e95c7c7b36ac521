import { type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { AuthContext } from '../context/auth-context.interface.js';
import {
  bindAuthContext,
  boundAuthContext,
  graphqlCarrierOf,
} from '../context/auth-context.storage.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { DecisionState } from '../decisions/decision-state.enum.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import type { RoutePlan } from '../requirements/route-plan.js';
import { AuthTransport, type CredentialsRead } from '../transports/auth-transport.js';
import { rawRequestOf } from '../transports/http/http.transport.js';
import { readHttpCredentials } from '../transports/http/read-http-credentials.js';
import { connectionCaller, connectionOf, type GraphqlContext } from './graphql-carriers.js';
import { GraphqlInvocation } from './graphql-invocation.js';
import { GraphqlRefusalError, toGraphqlRefusal } from './graphql-refusal.js';

const MISSING = AuthorizationDecision.challenge('CREDENTIALS_MISSING');
const EXPIRED = AuthorizationDecision.challenge('TOKEN_EXPIRED');
const UNSUPPORTED = AuthorizationDecision.error('UNSUPPORTED_CONTEXT');

/** What a header setter looks like on Express's response and Fastify's reply. */
interface HeaderTarget {
  setHeader?(name: string, value: string): unknown;
  header?(name: string, value: string): unknown;
  headersSent?: boolean;
  sent?: boolean;
}

/**
 * GraphQL resolvers (`@nestjs/graphql`, Apollo and Mercurius drivers): queries, mutations,
 * field resolvers and subscriptions. Over HTTP the credentials are the request's bearer token
 * (RFC 6750, the HTTP transport's rules; no snapshots); on a subscription they are the caller
 * authenticated from the graphql-ws `connection_init` payload (`GraphqlAuth`), who must not have
 * expired since. The caller is authenticated once per operation: it is bound to the operation's
 * request, which every field of the operation shares, so a list of N items with a
 * protected field costs one verification and N authorizations. Refusals are
 * {@link GraphqlRefusalError}s: the field is `null` and its error carries `extensions.code`.
 */
@Injectable()
export class GraphqlAuthTransport extends AuthTransport {
  readonly type = 'graphql';
  private readonly logger = new Logger('PlatformAuth');

  constructor(
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {
    super();
  }

  read(context: ExecutionContext, plan: RoutePlan): CredentialsRead | AuthorizationDecision {
    const [, args, gqlContext] = context.getArgs<[unknown, unknown, unknown, unknown]>();
    if (!isObject(gqlContext)) return UNSUPPORTED;
    const invocation = new GraphqlInvocation(plan.route, args);
    const carrier = graphqlCarrierOf(gqlContext);
    if (carrier === undefined) {
      this.logger.error(
        `${plan.route}: the GraphQL context's req is not the request being served (a context object shared across requests?); refused (fail closed). Give GraphQLModule a context function that returns a new object per request.`,
      );
      return UNSUPPORTED;
    }
    const bound = boundAuthContext(carrier);
    if (bound !== undefined) return this.unexpired(bound, invocation);
    const connection = connectionOf(gqlContext);
    if (connection !== undefined) {
      const caller = connectionCaller(connection);
      return caller === undefined ? MISSING : this.unexpired(caller, invocation);
    }
    const request = gqlContext.req;
    const raw = isObject(request) ? rawRequestOf(request) : undefined;
    if (raw === undefined) return UNSUPPORTED;
    const read = readHttpCredentials(raw, this.options.acceptQueryToken);
    if (read instanceof AuthorizationDecision) return read;
    return { ...read, invocation };
  }

  /**
   * Binds the caller to the operation (its request, `graphqlCarrierOf`): `@CurrentAuth()` and
   * the operation's later fields read it.
   */
  bind(context: ExecutionContext, caller: AuthContext): void {
    bindAuthContext(graphqlCarrierOf(context.getArgs<unknown[]>()[2])!, caller);
  }

  /**
   * Throws the field's refusal; a challenge over HTTP also sets `WWW-Authenticate` on the
   * response (the field errors go out with status 200).
   */
  refuse(context: ExecutionContext, decision: AuthorizationDecision): never {
    const refusal = toGraphqlRefusal(decision, this.options.realm);
    const gqlContext = context.getArgs<unknown[]>()[2];
    if (
      refusal.challenge !== undefined &&
      decision.state === DecisionState.Challenge &&
      isObject(gqlContext)
    ) {
      setChallenge(gqlContext, refusal.challenge);
    }
    throw new GraphqlRefusalError(refusal);
  }

  private unexpired(
    caller: AuthContext,
    invocation: GraphqlInvocation,
  ): CredentialsRead | AuthorizationDecision {
    if (caller.expiresAt !== undefined && caller.expiresAt * 1000 <= this.options.now()) {
      return EXPIRED;
    }
    return { authenticated: caller, invocation };
  }
}

/** Sets `WWW-Authenticate` on the HTTP response of an operation, where the driver exposes it. */
export function setChallenge(gqlContext: GraphqlContext, challenge: string): void {
  // Mercurius: the Fastify reply. Apollo on Express: the response Express links to its request.
  const reply = gqlContext.reply as HeaderTarget | undefined;
  const response = (gqlContext.res ?? (gqlContext.req as { res?: unknown } | undefined)?.res) as
    HeaderTarget | undefined;
  if (reply && typeof reply.header === 'function' && reply.sent !== true) {
    reply.header('WWW-Authenticate', challenge);
  } else if (response && typeof response.setHeader === 'function' && !response.headersSent) {
    response.setHeader('WWW-Authenticate', challenge);
  }
}

function isObject(value: unknown): value is GraphqlContext {
  return typeof value === 'object' && value !== null;
}
