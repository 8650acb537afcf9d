import * as v from 'valibot';
import { nearestName } from '../shared/edit-distance.ts';
import { type CommandDefinition, defaultTimeFields, type EventKind, liveRoom, type ProductName, type SubjectPaths } from './definition.ts';
import { families } from './families.ts';

/**
 * The one place that knows the callback commands. Routing, the policy's command names, the record,
 * what is stored and how it is answered all derive from these definitions (definition.ts): to support
 * a command, add a module to its family's folder and a line to the family's index.
 */
export const commandRegistry: ReadonlyMap<string, CommandDefinition> = new Map(families.flat().map((definition) => [definition.command, definition]));

export const registeredCommands: readonly string[] = [...commandRegistry.keys()];
export const beforeCommands: readonly string[] = registeredCommands.filter((name) => commandRegistry.get(name)!.kind === 'before');
export const afterCommands: readonly string[] = registeredCommands.filter((name) => commandRegistry.get(name)!.kind === 'after');

/**
 * The fields the registry's batch definitions keep their events in (`Events`): wherever a body
 * carries one, its items' commands must be the URL's too.
 */
export const batchLists: readonly string[] = [
  ...new Set([...commandRegistry.values()].flatMap((definition) => (definition.batch ? [definition.batch.list] : []))),
];

export const isRegisteredCommand = (name: string): boolean => commandRegistry.has(name);

/**
 * Tencent names every before-callback `*.CallbackBefore*` or `*.CallbackPrev*` (docs/protocol.md#before-and-after):
 * one without a definition is still answered (allow, which is also Tencent's timeout default) and
 * never stored; any other unknown command is an after-event, stored as received.
 */
const beforeName = /^[^.]+\.Callback(Before|Prev)/;

const unknownDefinitions = new Map<string, CommandDefinition>();

/** A group's, a live room's busy rule and the two accounts most bodies name: an unknown event is filed as a group one would be. */
const unknownSubjects: SubjectPaths = {
  groupId: 'GroupId',
  topicId: 'TopicId',
  accounts: { sender: 'From_Account', operator: 'Operator_Account' },
  actor: 'sender',
  busy: liveRoom,
};

/**
 * A command without a definition, by its name alone: kept schema-free, its family from the name, and
 * the registered command it is nearest to, if any (a typo in a test request: docs/commands.md#unknown).
 */
export function unknownCommand(name: string): CommandDefinition {
  const nearest = nearestName(name, registeredCommands);
  return {
    command: name,
    family: name.includes('.') ? name.slice(0, name.indexOf('.')) : name,
    kind: beforeName.test(name) ? 'before' : 'after',
    registered: false,
    products: [],
    ...(nearest === undefined ? {} : { nearest }),
    summary: 'A command this receiver has no definition for (stored as received, or allowed if a before-callback)',
    sources: [],
    schema: v.looseObject({}),
    // The ids most of Tencent's callbacks use, so even an unknown event can be found by group and user.
    subjects: unknownSubjects,
    recordFields: {},
    example: { CallbackCommand: name },
    timeFields: defaultTimeFields,
    answers: { refusalCodes: [] },
  };
}

/** The registered commands a product's callback settings send, in the registry's order (`npm run tencent -- set-callback`). */
export const commandsOfProduct = (product: ProductName): readonly string[] =>
  registeredCommands.filter((name) => commandRegistry.get(name)!.products.includes(product));

/** The command's definition; a command without one gets `unknownCommand`'s, made once per name. */
export function commandDefinition(name: string): CommandDefinition {
  const registered = commandRegistry.get(name);
  if (registered !== undefined) return registered;
  let unknown = unknownDefinitions.get(name);
  if (unknown === undefined) {
    unknown = unknownCommand(name);
    // Bounded: names come from senders, and only a few hundred distinct unknown names are remembered.
    if (unknownDefinitions.size < 256) unknownDefinitions.set(name, unknown);
  }
  return unknown;
}

/** The kind a record or a stored event carries: an after-event without a definition is `unregistered`. */
export const eventKindOf = (definition: CommandDefinition): EventKind =>
  definition.kind === 'after' && !definition.registered ? 'unregistered' : definition.kind;
