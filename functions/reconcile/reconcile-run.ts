/**
 * One reconciliation run (docs/production.md#reconcile): for the groups given and those the synced
 * view holds, Tencent's truth (get_group_info, then get_group_member_info page by page), compared
 * with the view (group-drift.ts) and repaired through the view's merge, stamped a little before the
 * read began so any later real event still wins. Then the view is read again: a difference a newer
 * event already settled the other way is reported as left, not repaired.
 *
 * Bad answers: a group Tencent has no answer for (other than "dissolved"), or whose REST calls timed
 * out or were rate-limited, is `unknown` and left alone; a member list not read to its end removes
 * nobody. Wrong credentials stop the run with the client's one line.
 */
import type { DriftKind } from '../callback/metric-names.ts';
import { driftKinds } from '../callback/metric-names.ts';
import { memberRole, text } from '../commands/projection.ts';
import type { Stamp } from '../synced-view/lww.ts';
import type { GroupView } from '../synced-view/view.ts';
import { type GroupInfo, groupInfoBatchSize, groupNotFoundCode } from '../tencent/chat-apis.ts';
import { TencentCredentialsError, TencentRestError } from '../tencent/rest-errors.ts';
import type { TencentRestClient } from '../tencent/tencent-rest-client.ts';
import { driftCounts, type GroupDrift, type GroupTruth, groupDrift, hasDrift, repairsOf, type TruthMember } from './group-drift.ts';
import type { ReconcileView } from './reconcile-view.ts';

/**
 * How far before its read a repair is stamped. A real event stamped later wins over the repair, so
 * the margin covers the difference between Tencent's clock (EventTime) and this one: an event that
 * happened after the read always wins. An event inside the margin wins too, and it is already part
 * of what Tencent answered.
 */
export const REPAIR_STAMP_MARGIN_MS = 60_000;
/** The stamp's event id: below any real event id (32 hex digits), so a real event of the same millisecond wins too. */
export const REPAIR_EVENT_ID = '';

export interface ReconcileOptions {
  readonly client: Pick<TencentRestClient, 'sdkAppId' | 'getGroupInfo' | 'groupMembers'>;
  readonly view: ReconcileView;
  /** Groups to reconcile whatever the view holds, first. */
  readonly groups: readonly string[];
  /** Also every group the view holds (but those it shows dissolved). */
  readonly viewGroups: boolean;
  /** Groups looked at in one run, at most. */
  readonly maxGroups: number;
  /** False: report only, write nothing (a dry run). */
  readonly repair: boolean;
  /** True once the run should stop (a Lambda's time nearly spent): the groups not reached are counted. */
  readonly stop?: () => boolean;
  readonly now?: () => number;
  /** In [0, 1): where in the view's groups this run starts, so that runs that cannot reach them all take turns. Default: Math.random. */
  readonly random?: () => number;
}

export interface GroupReport extends GroupDrift {
  /** Differences still there after the repair: a newer event settled them, or the write failed. */
  readonly left?: number;
}

export interface UnknownGroup {
  readonly groupId: string;
  /** Why nothing is known: Tencent's error, in one line. */
  readonly reason: string;
}

export interface ReconcileReport {
  readonly sdkAppId: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly repaired: boolean;
  /** Groups compared with Tencent's answer. */
  readonly checked: number;
  readonly unknown: readonly UnknownGroup[];
  /** Groups not looked at: past maxGroups, or the run's time. */
  readonly notReached: number;
  readonly drift: Readonly<Record<DriftKind, number>>;
  /** The groups that differed, with how. */
  readonly groups: readonly GroupReport[];
}

const zero = (): Record<DriftKind, number> => Object.fromEntries(driftKinds.map((kind) => [kind, 0])) as Record<DriftKind, number>;

/** The groups to look at: those given, then the view's from a rotating start, each once, at most `maxGroups`. */
async function groupsToCheck(options: ReconcileOptions, sdkAppId: string): Promise<{ ids: string[]; notReached: number }> {
  const ids = [...new Set(options.groups)];
  if (options.viewGroups) {
    const given = new Set(ids);
    const fromView: string[] = [];
    for await (const id of options.view.groupIds(sdkAppId)) if (!given.has(id)) fromView.push(id);
    fromView.sort();
    const start = Math.floor((options.random ?? Math.random)() * fromView.length);
    ids.push(...fromView.slice(start), ...fromView.slice(0, start));
  }
  return { ids: ids.slice(0, options.maxGroups), notReached: Math.max(0, ids.length - options.maxGroups) };
}

/** The profile get_group_info gave, in the view's names. */
const profileOf = (info: GroupInfo) => {
  const profile = {
    type: text(info, 'Type'),
    name: text(info, 'Name'),
    introduction: text(info, 'Introduction'),
    notification: text(info, 'Notification'),
    faceUrl: text(info, 'FaceUrl'),
    owner: info.Owner_Account === undefined || info.Owner_Account === '' ? undefined : String(info.Owner_Account),
  };
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined));
};

/** The fields get_group_info is asked for: the profile the view keeps, not the member list (read page by page instead). */
const profileFilter = { GroupBaseInfoFilter: ['Type', 'Name', 'Introduction', 'Notification', 'FaceUrl', 'Owner_Account'] };
/** What get_group_member_info is asked for: what the view keeps of a member. */
const memberFilter = ['Role', 'NameCard'];

/**
 * Group types compared by their profile alone. An AVChatRoom's members cannot be listed; a live room
 * (`Live`, a TUILiveKit room: docs/synced-view.md#live-rooms) holds in the view who is in it now, not
 * a member list Tencent could give: neither may lose a member to a reconciliation.
 */
const profileOnlyTypes: ReadonlySet<string> = new Set(['AVChatRoom', 'Live']);

export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { client, view, now = Date.now, stop = () => false } = options;
  const sdkAppId = client.sdkAppId;
  const startedAt = now();
  const { ids, notReached } = await groupsToCheck(options, sdkAppId);
  const given = new Set(options.groups);
  const drift = zero();
  const unknown: UnknownGroup[] = [];
  const reports: GroupReport[] = [];
  let checked = 0;
  let stoppedAt = ids.length;

  /** Every member, or why they could not all be read. */
  async function membersOf(groupId: string, type: string | undefined): Promise<{ members?: TruthMember[]; unread?: string }> {
    if (type !== undefined && profileOnlyTypes.has(type)) return {};
    const members: TruthMember[] = [];
    try {
      for await (const member of client.groupMembers(groupId, type ?? 'Public', { MemberInfoFilter: memberFilter })) {
        const nameCard = typeof member.NameCard === 'string' && member.NameCard !== '' ? member.NameCard : undefined;
        members.push({ account: member.Member_Account, role: memberRole(member.Role), ...(nameCard === undefined ? {} : { nameCard }) });
      }
    } catch (error) {
      if (error instanceof TencentCredentialsError || !(error instanceof TencentRestError)) throw error;
      return { unread: error.message };
    }
    return { members };
  }

  async function check(groupId: string, shown: GroupView | undefined, truth: GroupTruth, readAt: number) {
    checked += 1;
    const found = groupDrift(groupId, shown, truth);
    if (!hasDrift(found)) return;
    for (const [kind, count] of Object.entries(driftCounts(found))) drift[kind as DriftKind] += count;
    if (!options.repair) {
      reports.push(found);
      return;
    }
    const stamp: Stamp = { t: readAt - REPAIR_STAMP_MARGIN_MS, e: REPAIR_EVENT_ID };
    await view.write(sdkAppId, groupId, repairsOf(found, truth), stamp);
    const after = groupDrift(groupId, await view.group(sdkAppId, groupId), truth);
    const left = Object.values(driftCounts(after)).reduce((sum, count) => sum + count, 0);
    reports.push(left === 0 ? found : { ...found, left });
  }

  for (let start = 0; start < ids.length; start += groupInfoBatchSize) {
    if (stop()) {
      stoppedAt = start;
      break;
    }
    // The view first: a group it shows dissolved is not asked about again, unless it was given.
    const batch: { groupId: string; shown: GroupView | undefined }[] = [];
    for (const groupId of ids.slice(start, start + groupInfoBatchSize)) {
      const shown = await view.group(sdkAppId, groupId);
      if (shown?.destroyed === true && !given.has(groupId)) continue;
      batch.push({ groupId, shown });
    }
    if (batch.length === 0) continue;
    const readAt = now();
    let results: Awaited<ReturnType<typeof client.getGroupInfo>>;
    try {
      results = await client.getGroupInfo(
        batch.map(({ groupId }) => groupId),
        profileFilter,
      );
    } catch (error) {
      if (error instanceof TencentCredentialsError || !(error instanceof TencentRestError)) throw error;
      for (const { groupId } of batch) unknown.push({ groupId, reason: error.message });
      continue;
    }
    for (const [index, result] of results.entries()) {
      const { groupId, shown } = batch[index]!;
      if (!result.ok) {
        if (result.error.code === groupNotFoundCode) await check(groupId, shown, { exists: false }, readAt);
        else unknown.push({ groupId, reason: result.error.message });
        continue;
      }
      const memberRead = now();
      const { members, unread } = await membersOf(groupId, result.group.Type);
      if (unread !== undefined) unknown.push({ groupId, reason: `members not all read, none removed: ${unread}` });
      await check(
        groupId,
        shown,
        { exists: true, profile: profileOf(result.group), ...(members === undefined ? {} : { members }) },
        Math.min(readAt, memberRead),
      );
    }
  }
  return {
    sdkAppId,
    startedAt,
    finishedAt: now(),
    repaired: options.repair,
    checked,
    unknown,
    notReached: notReached + (ids.length - stoppedAt),
    drift,
    groups: reports,
  };
}

const shown = (value: string | boolean | undefined) => (value === undefined ? '(none)' : JSON.stringify(value));
const names = (accounts: readonly string[], most = 10) =>
  `${accounts.slice(0, most).join(', ')}${accounts.length > most ? ` and ${accounts.length - most} more` : ''}`;

/** The report for people: a summary line, then one block per group that differed, then the unknown ones. */
export function reportText(report: ReconcileReport, most = 100): string {
  const { drift } = report;
  const differed = report.groups.length;
  const lines = [
    `Reconciled the synced view of SDKAppID ${report.sdkAppId} with Tencent${report.repaired ? '' : ' (dry run: nothing written)'}: ` +
      `${report.checked} groups checked, ${differed} differed, ${report.unknown.length} unknown${report.notReached > 0 ? `, ${report.notReached} not reached (next run)` : ''}; ` +
      `${drift.fields} fields differing, ${drift.missingMembers} members missing, ${drift.extraMembers} extra, ${drift.goneGroups} groups gone.`,
  ];
  for (const group of report.groups.slice(0, most)) {
    const verb = report.repaired ? (group.left === undefined ? 'repaired' : `repaired but ${group.left} left (a newer event settled them)`) : 'not repaired';
    lines.push(`${group.groupId}: ${verb}`);
    if (group.gone) lines.push('  dissolved in Tencent, shown in the view');
    for (const field of group.fields) lines.push(`  ${field.field}: view ${shown(field.view)}, Tencent ${shown(field.tencent)}`);
    if (group.missingMembers.length > 0)
      lines.push(`  ${group.missingMembers.length} members missing from the view: ${names(group.missingMembers.map((member) => member.account))}`);
    if (group.extraMembers.length > 0) lines.push(`  ${group.extraMembers.length} members in the view, not in Tencent: ${names(group.extraMembers)}`);
  }
  if (differed > most) lines.push(`… and ${differed - most} more groups that differed`);
  for (const group of report.unknown.slice(0, most)) lines.push(`${group.groupId}: unknown: ${group.reason}`);
  if (report.unknown.length > most) lines.push(`… and ${report.unknown.length - most} more unknown`);
  return lines.join('\n');
}
