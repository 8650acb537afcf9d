/**
 * A deployed stack updates in place: every resource the deployed templates hold keeps its logical id
 * and type (a new id is a new resource, and a retained old one left behind with its data), every
 * retained resource stays retained with the properties that make it the deployed one, and every
 * output stays. The references are in fixtures/deployed-reference.json, synthesized from the commits
 * users deploy by fixtures/deployed-reference.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { Template } from 'aws-cdk-lib/assertions';
import { CallbackStack } from '../../infra/callback-stack.ts';
import { readDeploymentSettings } from '../../infra/strict-context.ts';
import { projectRoot } from '../support/processes.ts';
import { appWithoutBundling } from '../support/stack-template.ts';
import { summary } from './fixtures/deployed-reference.ts';

type Summary = ReturnType<typeof summary>;
interface Reference {
  readonly why: string;
  readonly variants: Record<string, Summary & { context: Record<string, unknown> }>;
}

const references = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/deployed-reference.json'), 'utf8')) as Record<string, Reference>;
const cdkContext = (JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** The stack as `cdk synth` makes it now, with the reference's context, summarized the same way. */
function current(context: Record<string, unknown>): Summary {
  const app = appWithoutBundling();
  for (const [key, value] of Object.entries({ ...cdkContext, ...context })) app.node.setContext(key, value);
  const stack = new CallbackStack(app, 'TencentImCallbacks', { settings: readDeploymentSettings(app.node) });
  return summary(Template.fromStack(stack).toJSON() as Parameters<typeof summary>[0]);
}

const cases = Object.entries(references).flatMap(([commit, { why, variants }]) =>
  Object.entries(variants).map(([variant, reference]) => ({ name: `${commit} (${why}), ${variant}`, reference })),
);

describe.each(cases)('the stack deployed from $name', ({ reference }) => {
  const now = current(reference.context);

  test('every resource keeps its logical id and type', () => {
    const lost = Object.entries(reference.resources)
      .filter(([id, resource]) => now.resources[id]?.type !== resource.type)
      .map(([id, resource]) => `${id} (${resource.type}): ${now.resources[id]?.type ?? 'gone'}`);
    expect(lost).toEqual([]);
  });

  test('every retained resource is still retained, and the same one: tables, queues, the secret; and the bus', () => {
    const identities = Object.entries(reference.resources).filter(([, resource]) => 'properties' in resource);
    // Tables, queues and the bus at least, whatever the variant.
    expect(identities.map(([, resource]) => resource.type)).toEqual(
      expect.arrayContaining(['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::Events::EventBus']),
    );
    for (const [id, resource] of identities) {
      expect({ id, properties: now.resources[id]?.properties }).toEqual({ id, properties: resource.properties });
      if ('retained' in resource) expect({ id, retained: now.resources[id]?.retained }).toEqual({ id, retained: true });
    }
  });

  test('every output is still there', () => {
    expect(reference.outputs.filter((output) => !now.outputs.includes(output))).toEqual([]);
  });
});

test('the references cover what users deploy: the tables, the queues, the bus, and the token secret made and retained', () => {
  const retained = (commit: string) =>
    Object.values(references[commit]!.variants).flatMap((variant) =>
      Object.values(variant.resources).flatMap((resource) => ('retained' in resource ? [resource.type] : [])),
    );
  expect(new Set(retained('c603be7'))).toEqual(new Set(['AWS::DynamoDB::Table', 'AWS::SQS::Queue']));
  expect(new Set(retained('48c7010'))).toEqual(new Set(['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret']));
});
