import type { JsonValue, Variables } from '../../schema/json.ts';

/**
 * Variables as Zeebe scopes them: each process, sub-process, multi-instance body and element
 * instance holds local variables; a read sees the nearest definition; a propagated write lands
 * in the nearest scope that defines the variable, else in the root.
 */
export class VariableScope {
  private readonly locals: Variables;

  constructor(
    readonly parent?: VariableScope,
    locals: Variables = {},
  ) {
    this.locals = { ...locals };
  }

  /** A new scope below this one, holding `locals`. */
  child(locals: Variables = {}): VariableScope {
    return new VariableScope(this, locals);
  }

  /** Every visible variable, nearer scopes shadowing farther ones. */
  view(): Variables {
    return { ...this.parent?.view(), ...this.locals };
  }

  /** Sets each variable where it is defined, nearest first, else in the root scope. */
  propagate(variables: Variables): void {
    for (const [name, value] of Object.entries(variables)) this.owner(name).locals[name] = value;
  }

  setLocal(name: string, value: JsonValue): void {
    this.locals[name] = value;
  }

  /** This scope's own variables. */
  ownVariables(): Variables {
    return { ...this.locals };
  }

  private owner(name: string): VariableScope {
    if (name in this.locals || !this.parent) return this;
    let scope: VariableScope = this.parent;
    while (!(name in scope.locals) && scope.parent) scope = scope.parent;
    return scope;
  }
}
