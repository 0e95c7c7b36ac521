import { describe, expect, it } from '@jest/globals';
import { AuthCapability } from '../capabilities/auth-capability.enum.js';
import { Protected } from '../decorators/protected.decorator.js';
import { Public } from '../decorators/public.decorator.js';
import { RequirePermission } from '../decorators/require-permission.decorator.js';
import { RequirePolicy } from '../decorators/require-policy.decorator.js';
import { RequireRelation } from '../decorators/require-relation.decorator.js';
import { RequireAnyRole, RequireRole } from '../decorators/require-role.decorator.js';
import { RequireAnyScope, RequireScope } from '../decorators/require-scope.decorator.js';
import { RequireTenant } from '../decorators/require-tenant.decorator.js';
import { RequireAny, role, scope, tenant } from '../decorators/require-any.decorator.js';
import { fromBody, fromParam } from './dynamic-ref.js';
import { describeRequirement } from './requirement-utils.js';
import { resolveRoutePlan, type RoutePlan } from './route-plan.js';

function planOf(
  controller: Function,
  method: string,
  defaultAccess: 'protected' | 'public' = 'protected',
): RoutePlan {
  const resolved = resolveRoutePlan(
    `${controller.name}#${method}`,
    controller,
    controller.prototype[method],
    defaultAccess,
  );
  if (resolved.conflict) throw new Error(`unexpected conflict: ${resolved.conflict.detail}`);
  return resolved.plan;
}

const described = (plan: RoutePlan) => plan.requirements.map(describeRequirement);

describe('effective route requirements', () => {
  it('combines class and method requirements with AND, class first', () => {
    @RequireScope('docs:read')
    class Docs {
      @RequireRole('editor')
      @RequireScope('docs:write')
      update() {}
    }
    const plan = planOf(Docs, 'update');
    expect(plan.access).toBe('protected');
    expect(described(plan)).toEqual([
      "@RequireScope('docs:read')",
      "@RequireScope('docs:write')",
      "@RequireRole('editor')",
    ]);
    expect(plan.capabilities).toEqual([
      AuthCapability.Authentication,
      AuthCapability.ScopeCheck,
      AuthCapability.RoleCheck,
    ]);
  });

  it('keeps every stacked decorator of the same kind (no last-one-wins)', () => {
    class Docs {
      @RequireScope('a')
      @RequireScope('b')
      @RequireRole('x')
      @RequireRole('y')
      run() {}
    }
    expect(described(planOf(Docs, 'run'))).toEqual([
      "@RequireScope('b')",
      "@RequireScope('a')",
      "@RequireRole('y')",
      "@RequireRole('x')",
    ]);
  });

  it('removes exact duplicates across class and method and within a decorator', () => {
    @RequireScope('docs:read', 'docs:read')
    @RequireAnyRole('a', 'b')
    class Docs {
      @RequireScope('docs:read')
      @RequireAnyRole('b', 'a', 'b')
      @RequirePolicy('p')
      @RequirePolicy('p')
      run() {}
    }
    expect(described(planOf(Docs, 'run'))).toEqual([
      "@RequireScope('docs:read')",
      "@RequireAnyRole('a', 'b')",
      "@RequirePolicy('p')",
    ]);
  });

  it('splits an all-of list so that overlapping lists collapse', () => {
    @RequireScope('a', 'b')
    class Docs {
      @RequireScope('b', 'c')
      run() {}
    }
    expect(described(planOf(Docs, 'run'))).toEqual([
      "@RequireScope('a')",
      "@RequireScope('b')",
      "@RequireScope('c')",
    ]);
  });

  it('treats a one-value any-of as an all-of, and keeps a real any-of as one requirement', () => {
    class Docs {
      @RequireAnyScope('a')
      @RequireAnyScope('x', 'y')
      @RequireScope('a')
      run() {}
    }
    expect(described(planOf(Docs, 'run'))).toEqual([
      "@RequireScope('a')",
      "@RequireAnyScope('x', 'y')",
    ]);
  });

  it("describes @RequireAny by its builders, checks it last, and needs every alternative's capability", () => {
    class Docs {
      @RequireAny(scope('docs:admin'), role('admin'), tenant(fromParam('t')))
      @RequirePolicy('p')
      run() {}
    }
    const plan = planOf(Docs, 'run');
    expect(described(plan)).toEqual([
      "@RequirePolicy('p')",
      "@RequireAny(scope('docs:admin'), role('admin'), tenant(fromParam('t')))",
    ]);
    expect(plan.capabilities).toEqual([
      AuthCapability.Authentication,
      AuthCapability.PolicyEvaluation,
      AuthCapability.ScopeCheck,
      AuthCapability.RoleCheck,
    ]);
  });

  it('does not merge requirements that differ only in the ref source', () => {
    class Docs {
      @RequireTenant(fromParam('t'))
      @RequireTenant(fromBody('t'))
      @RequireTenant('t')
      run() {}
    }
    expect(described(planOf(Docs, 'run'))).toEqual([
      "@RequireTenant('t')",
      "@RequireTenant(fromBody('t'))",
      "@RequireTenant(fromParam('t'))",
    ]);
  });

  it('orders cheap local checks before remote ones and lists the capabilities they need', () => {
    class Docs {
      @RequirePolicy('p')
      @RequireRelation('viewer', { type: 'doc', id: fromParam('id') })
      @RequirePermission('docs:delete')
      @RequireTenant(fromParam('tenant'))
      @RequireRole('r')
      @RequireScope('s')
      run() {}
    }
    const plan = planOf(Docs, 'run');
    expect(plan.requirements.map((r) => r.kind)).toEqual([
      'scope',
      'role',
      'tenant',
      'permission',
      'relation',
      'policy',
    ]);
    expect(plan.capabilities).toEqual([
      AuthCapability.Authentication,
      AuthCapability.ScopeCheck,
      AuthCapability.RoleCheck,
      AuthCapability.PermissionCheck,
      AuthCapability.RelationCheck,
      AuthCapability.PolicyEvaluation,
    ]);
  });

  it('inherits class requirements from a base controller', () => {
    @RequireRole('admin')
    class Base {}
    @RequireScope('s')
    class Derived extends Base {
      run() {}
    }
    expect(described(planOf(Derived, 'run'))).toEqual([
      "@RequireScope('s')",
      "@RequireRole('admin')",
    ]);
  });

  describe('access', () => {
    class Plain {
      run() {}
    }

    it('is protected for an undecorated route by default, needing only authentication', () => {
      const plan = planOf(Plain, 'run');
      expect(plan.access).toBe('protected');
      expect(plan.capabilities).toEqual([AuthCapability.Authentication]);
    });

    it("is public for an undecorated route when the default is 'public'", () => {
      const plan = planOf(Plain, 'run', 'public');
      expect(plan.access).toBe('public');
      expect(plan.capabilities).toEqual([]);
    });

    it("stays protected with @Protected() or a requirement when the default is 'public'", () => {
      class Explicit {
        @Protected()
        a() {}
        @RequireScope('s')
        b() {}
      }
      expect(planOf(Explicit, 'a', 'public').access).toBe('protected');
      expect(planOf(Explicit, 'b', 'public').access).toBe('protected');
    });

    it('is public with @Public() on the class or the method, needing nothing', () => {
      @Public()
      class Open {
        run() {}
      }
      class Mixed {
        @Public()
        run() {}
      }
      expect(planOf(Open, 'run')).toMatchObject({
        access: 'public',
        requirements: [],
        capabilities: [],
      });
      expect(planOf(Mixed, 'run')).toMatchObject({
        access: 'public',
        requirements: [],
        capabilities: [],
      });
    });
  });

  describe('conflicts', () => {
    it('reports @Public() with a requirement at any level, naming the route', () => {
      @Public()
      class Open {
        @RequireScope('s')
        run() {}
      }
      expect(resolveRoutePlan('Open#run', Open, Open.prototype.run, 'protected')).toEqual({
        conflict: { route: 'Open#run', detail: "@Public() with @RequireScope('s')" },
      });
    });

    it('reports @Public() with @Protected()', () => {
      class Both {
        @Public()
        @Protected()
        run() {}
      }
      expect(
        resolveRoutePlan('Both#run', Both, Both.prototype.run, 'protected').conflict?.detail,
      ).toBe('@Public() with @Protected()');
    });
  });
});
