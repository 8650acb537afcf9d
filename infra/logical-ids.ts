import { type CfnElement, Names, Stack } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';

/**
 * The logical id CDK gives a resource at `path` below `scope` (ids as in the construct tree, ending
 * in `Resource` for an L2's own resource), computed by CDK itself (Names.uniqueId) on a detached
 * tree of that shape. For a resource whose construct moved in a refactor: giving it the id of its
 * old place keeps it the deployed resource instead of a replacement, and being relative to `scope`
 * it stays unique when the construct is used twice in one stack.
 */
export function logicalIdAt(scope: IConstruct, ...path: string[]): string {
  const { scopes } = scope.node;
  const below = scopes.slice(scopes.indexOf(Stack.of(scope)) + 1).map((each) => each.node.id);
  let node = new Construct(undefined as unknown as Construct, '');
  for (const id of [...below, ...path]) node = new Construct(node, id);
  return Names.uniqueId(node);
}

/** Keeps a resource the deployed one: the logical id it had at `path` below `scope` (logicalIdAt). */
export function keepLogicalId(resource: CfnElement, scope: IConstruct, ...path: string[]): void {
  resource.overrideLogicalId(logicalIdAt(scope, ...path));
}
