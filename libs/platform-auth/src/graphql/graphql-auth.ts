import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { AuthContext } from '../context/auth-context.interface.js';
import { bindAuthContext, graphqlCarrierOf } from '../context/auth-context.storage.js';
import { AuthorizationDecision } from '../decisions/authorization-decision.js';
import { Authenticator } from '../pipeline/authenticator.js';
import { Authorizer } from '../pipeline/authorizer.js';
import { PLATFORM_AUTH_OPTIONS } from '../platform-auth.tokens.js';
import type { ResolvedPlatformAuthOptions } from '../platform-auth.options.js';
import { rawRequestOf } from '../transports/http/http.transport.js';
import { readHttpCredentials } from '../transports/http/read-http-credentials.js';
import { readConnectionCredentials } from './connection-credentials.js';
import { bindConnection, type GraphqlContext, MERCURIUS_CONNECTION } from './graphql-carriers.js';
import { GraphqlInvocation } from './graphql-invocation.js';
import { type GraphqlRefusal, toGraphqlRefusal } from './graphql-refusal.js';
import { GraphqlRoutes, isStaticPlan } from './graphql-routes.js';
import { setChallenge } from './graphql.transport.js';

/** Options of {@link GraphqlAuth.apollo} and {@link GraphqlAuth.mercurius}. */
export interface GraphqlAuthOptions {
  /**
   * Accept a graphql-ws connection whose `connection_init` carries no credentials (its
   * operations are then anonymous: public subscriptions only). Invalid credentials are always
   * refused.
   * @default false (a connection without credentials is closed with 4401)
   */
  readonly anonymousConnections?: boolean;
}

/** The outcome of a `connection_init`: the caller, none (anonymous allowed), or a refusal. */
export type ConnectionResult =
  | { readonly caller: AuthContext; readonly refusal?: undefined }
  | { readonly caller?: undefined; readonly refusal?: undefined }
  | { readonly caller?: undefined; readonly refusal: GraphqlRefusal };

/** The part of graphql-ws's `Context` that `onConnect` reads (Apollo driver). */
export interface GraphqlWsConnectContext {
  readonly connectionParams?: unknown;
  /** `{ socket, request }` with graphql-ws's `ws` server. */
  readonly extra?: unknown;
}

/** The socket graphql-ws's `ws` server puts in `extra`. */
interface ClosableSocket {
  close(code: number, reason: string): void;
}

/** The part of an Apollo request context that the plugin reads. */
interface ApolloRequestContext {
  readonly operation?: OperationDefinitionNode | null;
  readonly document?: DocumentNode;
  readonly contextValue: unknown;
  readonly request: {
    readonly http?: { readonly headers: { get(name: string): string | undefined } };
  };
}

/** An Apollo Server plugin (structurally; `@apollo/server` is the app's dependency). */
export interface GraphqlAuthApolloPlugin {
  requestDidStart(): Promise<{
    didResolveOperation(requestContext: ApolloRequestContext): Promise<void>;
  }>;
}

/** What {@link GraphqlAuth.apollo} adds to `GraphQLModule.forRoot*` options. */
export interface ApolloAuthConfig {
  readonly fieldResolverEnhancers: ['guards'];
  readonly plugins: GraphqlAuthApolloPlugin[];
  readonly subscriptions: {
    readonly 'graphql-ws': {
      readonly onConnect: (context: GraphqlWsConnectContext) => Promise<boolean>;
    };
  };
}

/** What {@link GraphqlAuth.mercurius} adds to `GraphQLModule.forRoot*` options. */
export interface MercuriusAuthConfig {
  readonly fieldResolverEnhancers: ['guards'];
  readonly subscription: {
    readonly onConnect: (data: { readonly payload?: unknown }) => Promise<false | object>;
  };
  readonly hooks: {
    readonly preExecution: (
      schema: unknown,
      document: DocumentNode,
      context: object,
    ) => Promise<void>;
  };
}

const ROOT_TYPES = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;
const CONNECTION = 'GraphQL connection_init';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/**
 * Wires platform-auth into `GraphQLModule`: authenticates graphql-ws connections from their
 * `connection_init` payload, refuses whole requests before execution where the
 * GraphQL-over-HTTP spec wants a status code, and turns on the field-resolver guards. Spread
 * {@link apollo} or {@link mercurius} into the driver's options (`GraphQLModule.forRootAsync`
 * with `inject: [GraphqlAuth]`). Field-level checks need none of this: the guard does them.
 */
@Injectable()
export class GraphqlAuth {
  private readonly logger = new Logger('PlatformAuth');

  constructor(
    private readonly authenticator: Authenticator,
    private readonly authorizer: Authorizer,
    private readonly routes: GraphqlRoutes,
    @Inject(PLATFORM_AUTH_OPTIONS) private readonly options: ResolvedPlatformAuthOptions,
  ) {}

  /** Options for the Apollo driver (`@nestjs/apollo`). */
  apollo(options: GraphqlAuthOptions = {}): ApolloAuthConfig {
    const plugin: GraphqlAuthApolloPlugin = {
      requestDidStart: async () => ({
        didResolveOperation: async (rc) => {
          if (!rc.operation || !rc.document || typeof rc.contextValue !== 'object') return;
          const refusal = await this.gate(
            rc.operation,
            rc.document,
            rc.contextValue as GraphqlContext,
            rc.request.http?.headers.get('accept'),
          );
          if (refusal === undefined) return;
          const headers = new Map<string, string>();
          if (refusal.challenge !== undefined) headers.set('www-authenticate', refusal.challenge);
          throw new GraphQLError(refusal.message, {
            extensions: { ...refusal.extensions, http: { status: refusal.status, headers } },
          });
        },
      }),
    };
    return {
      fieldResolverEnhancers: ['guards'],
      plugins: [plugin],
      subscriptions: {
        'graphql-ws': {
          onConnect: async (context) => {
            const result = await this.authenticateConnection(context.connectionParams, options);
            if (result.refusal !== undefined) {
              socketOf(context.extra)?.close(result.refusal.closeCode, result.refusal.message);
              return false;
            }
            if (result.caller !== undefined) bindConnection(context, result.caller);
            return true;
          },
        },
      },
    };
  }

  /**
   * Options for the Mercurius driver (`@nestjs/mercurius`). A refused `connection_init` is closed
   * with the same codes as on Apollo; `onConnect` reaches the socket through the connection
   * object Mercurius calls it on (16.x), else Mercurius answers with its own `connection_error`.
   */
  mercurius(options: GraphqlAuthOptions = {}): MercuriusAuthConfig {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- onConnect needs its own `this`
    const auth = this;
    return {
      fieldResolverEnhancers: ['guards'],
      subscription: {
        // A function, not an arrow: Mercurius calls it as a method of its connection object,
        // whose `socket` lets a refusal close with the graphql-ws code (4401, 4400, 1013).
        // Without one, returning false makes Mercurius answer `connection_error` and close.
        onConnect: async function (this: unknown, data) {
          const result = await auth.authenticateConnection(data.payload, options);
          if (result.refusal !== undefined) {
            socketOf(this)?.close(result.refusal.closeCode, result.refusal.message);
            return false;
          }
          const holder = {};
          if (result.caller !== undefined) bindConnection(holder, result.caller);
          return { [MERCURIUS_CONNECTION]: holder };
        },
      },
      hooks: {
        preExecution: async (_schema, document, mercuriusContext) => {
          const context = mercuriusContext as GraphqlContext;
          const operations = document.definitions.filter(
            (definition): definition is OperationDefinitionNode =>
              definition.kind === Kind.OPERATION_DEFINITION,
          );
          // Several operations: which one runs is not known here; the fields decide.
          if (operations.length !== 1) return;
          const request = (context.reply as { request?: { headers?: Record<string, unknown> } })
            ?.request;
          const accept = request?.headers?.accept;
          const refusal = await this.gate(
            operations[0],
            document,
            context,
            typeof accept === 'string' ? accept : undefined,
          );
          if (refusal === undefined) return;
          if (refusal.challenge !== undefined) setChallenge(context, refusal.challenge);
          // Mercurius takes the status of a response without data from the original error.
          const extensions = { ...refusal.extensions };
          throw new GraphQLError(refusal.message, {
            extensions,
            originalError: Object.assign(new GraphQLError(refusal.message, { extensions }), {
              statusCode: refusal.status,
            }),
          });
        },
      },
    };
  }

  /**
   * Authenticates a `connection_init` payload (`{ authorization: 'Bearer …' }`). Never throws:
   * failures are refusals (`ERROR` → close 1013).
   */
  async authenticateConnection(
    payload: unknown,
    options: GraphqlAuthOptions = {},
  ): Promise<ConnectionResult> {
    try {
      const credentials = readConnectionCredentials(payload);
      if (credentials === undefined && options.anonymousConnections === true) return {};
      const result =
        credentials instanceof AuthorizationDecision
          ? credentials
          : await this.authenticator.authenticate(
              credentials,
              new GraphqlInvocation(CONNECTION, {}),
            );
      if (result instanceof AuthorizationDecision) {
        return { refusal: toGraphqlRefusal(result, this.options.realm) };
      }
      return { caller: result };
    } catch (error) {
      this.logger.error(`${CONNECTION} could not be authenticated; refused (fail closed).`, error);
      return {
        refusal: toGraphqlRefusal(
          AuthorizationDecision.error('PROVIDER_FAILED'),
          this.options.realm,
        ),
      };
    }
  }

  /**
   * The request-level check, for a client that accepts `application/graphql-response+json`:
   * when every root field of the operation is protected and the request cannot be served at all
   * (no, malformed or invalid credentials; the authentication provider is down; or every root
   * field is denied by requirements that do not read the arguments), the whole request is
   * refused with the HTTP route's status (401/400/403/503, `WWW-Authenticate` as on HTTP) and
   * no `data`. Anything else is left to the fields (status 200, the refused fields `null`).
   * The caller it authenticated is bound to the operation, so the guard does not verify again.
   */
  private async gate(
    operation: OperationDefinitionNode,
    document: DocumentNode,
    context: GraphqlContext,
    accept: string | undefined,
  ): Promise<GraphqlRefusal | undefined> {
    if (accept === undefined || !accept.toLowerCase().includes(GRAPHQL_RESPONSE)) return undefined;
    const type = ROOT_TYPES[operation.operation];
    const fields = rootFields(operation.selectionSet, document);
    if (fields.length === 0) return undefined;
    const plansByField = fields.map((field) => this.routes.plansAt(`${type}.${field}`) ?? []);
    const allProtected = plansByField.every(
      (plans) => plans.length > 0 && plans.every((plan) => plan.access === 'protected'),
    );
    if (!allProtected) return undefined;
    const carrier = graphqlCarrierOf(context);
    const request = context.req;
    const raw =
      carrier !== undefined && typeof request === 'object' && request !== null
        ? rawRequestOf(request)
        : undefined;
    if (raw === undefined) return undefined; // the guard refuses each field
    const read = readHttpCredentials(raw, this.options.acceptQueryToken);
    const caller =
      read instanceof AuthorizationDecision
        ? read
        : await this.authenticator.authenticate(
            read.credentials,
            new GraphqlInvocation(`${type}.${fields[0]}`, {}),
          );
    if (caller instanceof AuthorizationDecision)
      return toGraphqlRefusal(caller, this.options.realm);
    bindAuthContext(carrier!, caller);
    let firstRefusal: AuthorizationDecision | undefined;
    for (const [index, plans] of plansByField.entries()) {
      // One resolver per coordinate (several only with inherited resolvers: left to the fields).
      const [plan] = plans;
      if (plans.length !== 1 || !isStaticPlan(plan)) return undefined;
      const decision = await this.authorizer.authorize(
        plan,
        caller,
        new GraphqlInvocation(plan.route, {}),
      );
      if (decision.allowed) return undefined;
      if (index === 0) firstRefusal = decision;
    }
    return firstRefusal && toGraphqlRefusal(firstRefusal, this.options.realm);
  }
}

function socketOf(extra: unknown): ClosableSocket | undefined {
  const socket: unknown =
    typeof extra === 'object' && extra !== null
      ? (extra as { socket?: unknown }).socket
      : undefined;
  return typeof socket === 'object' &&
    socket !== null &&
    typeof (socket as ClosableSocket).close === 'function'
    ? (socket as ClosableSocket)
    : undefined;
}

/** The root field names an operation selects, through inline fragments and fragment spreads. */
function rootFields(
  selectionSet: SelectionSetNode,
  document: DocumentNode,
  seen = new Set<string>(),
): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      names.push(...rootFields(selection.selectionSet, document, seen));
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (definition): definition is FragmentDefinitionNode =>
          definition.kind === Kind.FRAGMENT_DEFINITION &&
          definition.name.value === selection.name.value,
      );
      if (fragment) names.push(...rootFields(fragment.selectionSet, document, seen));
    }
  }
  return names;
}
