import { Module, type Type } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import {
  Args,
  Field,
  GraphQLModule,
  ID,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import {
  type AuthContext,
  AuthContextAccessor,
  CurrentAuth,
  fromArgs,
  PlatformAuthModule,
  Public,
  RequireAny,
  RequireScope,
  RequireTenant,
  role,
  scope,
} from '@nest-platform/auth';
import { GraphqlAuth, PlatformAuthGraphqlModule } from '@nest-platform/auth/graphql';
import { JwtAuthModule, type JwtAuthModuleOptions } from '@nest-platform/auth/jwt';

@ObjectType('Book')
export class Book {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  /** Not a schema field: what `Book.secret` resolves to. */
  secretValue?: string;
}

@ObjectType('Caller')
export class Caller {
  @Field(() => String) subject!: string;
  @Field(() => [String]) scopes!: string[];
  /** What `AuthContextAccessor` reads in the resolver's call tree. */
  @Field(() => String, { nullable: true }) viaAccessor?: string;
}

export const BOOKS: Book[] = [
  { id: '1', title: 'Public One', secretValue: 'SECRET-VALUE-1' },
  { id: '2', title: 'Public Two', secretValue: 'SECRET-VALUE-2' },
];

@Resolver(() => Book)
export class BooksResolver {
  constructor(private readonly accessor: AuthContextAccessor) {}

  @Public()
  @Query(() => String)
  hello(): string {
    return 'hi';
  }

  /** A public list whose `secret` field is protected. */
  @Public()
  @Query(() => [Book])
  catalogue(): Book[] {
    return BOOKS;
  }

  @RequireScope('books:read')
  @Query(() => [Book], { nullable: true })
  books(): Book[] {
    return BOOKS;
  }

  /** No decorator: protected by default, like an HTTP route. */
  @Query(() => String)
  defaultProtected(@CurrentAuth() auth: AuthContext): string {
    return auth.subject;
  }

  @RequireAny(scope('books:admin'), role('librarian'))
  @Query(() => Caller)
  me(@CurrentAuth() auth: AuthContext): Caller {
    return {
      subject: auth.subject,
      scopes: [...auth.scopes],
      viaAccessor: this.accessor.get()?.subject,
    };
  }

  @RequireTenant(fromArgs('tenantId'))
  @Query(() => String, { nullable: true })
  tenantReport(@Args('tenantId', { type: () => String }) tenantId: string): string {
    return `report of ${tenantId}`;
  }

  @RequireScope('books:write')
  @Mutation(() => Book)
  addBook(@Args('title', { type: () => String }) title: string): Book {
    return { id: '3', title };
  }

  @RequireScope('books:secret')
  @ResolveField(() => String, { name: 'secret', nullable: true })
  secret(@Parent() book: Book): string | undefined {
    return book.secretValue;
  }

  @RequireScope('books:watch')
  @Subscription(() => String)
  async *ticks(@CurrentAuth() auth: AuthContext): AsyncGenerator<{ ticks: string }> {
    yield { ticks: `t1 for ${auth.subject}` };
    yield { ticks: `t2 for ${auth.subject}` };
  }
}

/** Registered with `useFactory`: its metatype is the factory, its instance the class. */
@Resolver()
export class AuthorsResolver {
  @RequireScope('authors:read')
  @Query(() => [String])
  authors(): string[] {
    return ['Ursula'];
  }
}

export type Driver = 'apollo' | 'mercurius';

/** The GraphQL module for a driver, wired through `GraphqlAuth` (or bare, `fieldGuards: false`). */
export function graphqlModule(
  driver: Driver,
  options: { wired?: boolean; sharedContext?: object } = {},
) {
  const wired = options.wired ?? true;
  const context = options.sharedContext && { context: options.sharedContext };
  if (driver === 'apollo') {
    return wired
      ? GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [GraphqlAuth],
          useFactory: (auth: GraphqlAuth) => ({
            autoSchemaFile: true,
            graphiql: false,
            ...context,
            ...auth.apollo(),
          }),
        })
      : GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          graphiql: false,
        });
  }
  return wired
    ? GraphQLModule.forRootAsync<MercuriusDriverConfig>({
        driver: MercuriusDriver,
        inject: [GraphqlAuth],
        useFactory: (auth: GraphqlAuth) => ({
          autoSchemaFile: true,
          graphiql: false,
          ...context,
          ...auth.mercurius(),
        }),
      })
    : GraphQLModule.forRoot<MercuriusDriverConfig>({
        driver: MercuriusDriver,
        autoSchemaFile: true,
        graphiql: false,
      });
}

/** An app with JWT auth, the GraphQL transport and the resolvers above. */
export function graphqlScenario(
  driver: Driver,
  jwt: JwtAuthModuleOptions,
  options: { wired?: boolean; transport?: boolean; sharedContext?: object } = {},
): Type {
  @Module({
    imports: [
      PlatformAuthModule.forRoot({ realm: 'books' }),
      ...(options.transport === false ? [] : [PlatformAuthGraphqlModule]),
      JwtAuthModule.forRoot(jwt),
      graphqlModule(driver, options),
    ],
    providers: [
      BooksResolver,
      { provide: 'AUTHORS_RESOLVER', useFactory: () => new AuthorsResolver() },
    ],
  })
  class GraphqlScenarioModule {}
  return GraphqlScenarioModule;
}
