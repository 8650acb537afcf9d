import { profileFields } from '../functions/commands/projection.ts';
import type { GroupView, UserView } from '../functions/synced-view/view.ts';

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** `--json`: the view itself, as one object (absent values left out). */
export const stateAsJson = (view: GroupView | UserView): string => JSON.stringify(view);

const table = (rows: string[][]) => {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]!.length))) ?? [];
  return rows
    .map(
      (row) =>
        `  ${row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd()}`,
    )
    .join('\n');
};

/** A group for people: the profile, then members, topics and attributes; a live room's admins and seats when it has some. */
export function groupAsText(group: GroupView, heading: 'Group' | 'Live room' = 'Group'): string {
  const profile = [
    ...profileFields.map((name) => [name, group[name] === undefined ? undefined : String(group[name])]),
    ['updated', iso(group.updatedAt)],
  ].filter((row): row is [string, string] => row[1] !== undefined);
  const attributes = Object.entries(group.attributes);
  return [
    `${heading} ${group.groupId} (SDKAppID ${group.sdkAppId})`,
    table(profile),
    `Members (${group.members.length})`,
    ...(group.members.length === 0 ? [] : [table(group.members.map((member) => [member.account, member.role ?? '', member.nameCard ?? '']))]),
    `Topics (${group.topics.length})`,
    ...(group.topics.length === 0 ? [] : [table(group.topics.map((topic) => [topic.topicId, topic.name ?? '']))]),
    `Attributes (${attributes.length})`,
    ...(attributes.length === 0 ? [] : [table(attributes.map(([key, value]) => [key, value]))]),
    ...(group.admins === undefined ? [] : [`Admins (${group.admins.length})`, table(group.admins.map((account) => [account]))]),
    ...(group.seats === undefined
      ? []
      : [
          `Seats (${group.seats.length})`,
          table(
            group.seats.map((seat) => [
              `#${seat.index}`,
              seat.account ?? '(empty)',
              (['takenDisabled', 'videoDisabled', 'audioDisabled'] as const).filter((flag) => seat[flag] === true).join(' '),
            ]),
          ),
        ]),
  ].join('\n');
}

export function userAsText(user: UserView): string {
  const online = user.online === undefined ? 'unknown' : user.online ? 'online' : 'offline';
  return `User ${user.account} (SDKAppID ${user.sdkAppId}): ${online}, last ${user.lastAction ?? '?'} on ${user.platform ?? '?'} at ${iso(user.updatedAt)}`;
}
