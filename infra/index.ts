/**
 * The package's public entry: `import { TencentImReceiver } from 'tencent-im-callbacks'`. The
 * construct and its props, the alarm defaults, the consumers' event types (one per after-command,
 * generated from the registry) and the policy's types. docs/construct.md.
 */

export type * from '../schemas/after-command-bodies.ts';
export type { EventsTableOverrides } from './events-table.ts';
export type { AlarmDefaults } from './observability/alarm-defaults.ts';
export type { OnEventOptions } from './on-event.ts';
export type { AfterCommand, AfterCommandBodies, ReceivedBody, ReceivedDetail, ReceivedEvent } from './received-event.ts';
export type { Policy, PolicyRule, TencentImReceiverProps } from './receiver-props.ts';
export { TencentImReceiver } from './tencent-im-receiver.ts';
