import {
  policyParts,
  type EndpointPolicy,
  type PolicyAction,
  type PolicyObject,
} from '../../api/endpoint-policy.js';
import { isBlind } from './modes.js';
import { administers, belongs, type Caller, type Standing } from './standing.js';

/** A rule's answer: allowed; `hidden` (the caller may not see it: 404); `forbidden` (sees it, may not: 403). */
export type Verdict = 'allow' | 'hidden' | 'forbidden';

/** One object as the rules see it: the caller's standing toward it and where it lives. */
export interface Subject {
  readonly caller: Caller | null;
  readonly standing: Standing;
  /** The collaboration mode of its set; for a version, BLIND when any of its sets is blind. */
  readonly mode: number;
  /** The reader whose blind copy holds an annotation (or what hangs off it); null in shared documents. */
  readonly copyOwner?: number | null;
  /** The user a per-user row belongs to (image logs, tokens, screening state), or who made a map. */
  readonly owner?: number | null;
}

/** [P1] A set (its images, frames) is seen by its team, by superusers, and when public by anyone signed in. */
export function seesSet(standing: Standing): boolean {
  return standing !== 'outsider' && standing !== 'anonymous';
}

/**
 * [P2] Annotations, their verifications and media files are seen where their set is; in a blind set
 * only in the caller's own copy, unless the caller administers the team (team admins see every reader).
 */
export function seesCopy(s: Subject): boolean {
  if (!seesSet(s.standing)) return false;
  if (!isBlind(s.mode) || administers(s.standing)) return true;
  return s.copyOwner != null && s.copyOwner === s.caller?.id;
}

/** [P3] Annotating and verifying: the team (members, admins) and superusers; readers of a public set read only. */
export function annotates(standing: Standing): boolean {
  return belongs(standing);
}

/** [P4] Exports take every reader's annotations: in blind sets only those who administer the team. */
export function exports(s: Subject): boolean {
  return !isBlind(s.mode) || administers(s.standing);
}

/** [P6] A version is seen by its team; one holding a blind set only by those who administer the team. */
export function seesVersion(s: Subject): boolean {
  return belongs(s.standing) && (!isBlind(s.mode) || administers(s.standing));
}

/**
 * [P8] An annotation map is seen where its set is; in a blind set only by those who administer the
 * team, since a map shows every reader's annotations (as an export does, P4).
 */
export function seesMap(s: Subject): boolean {
  return seesSet(s.standing) && exports(s);
}

/** [P8] Making a map of a set: its team (P3); in a blind set those who administer the team. */
export function maps(s: Subject): boolean {
  return annotates(s.standing) && exports(s);
}

/** [P7] Per-user rows: one's own (of images one still sees), and every row of a team one administers. */
export function seesOwnRow(s: Subject, ofImages: boolean): boolean {
  if (administers(s.standing)) return true;
  return s.owner === s.caller?.id && (!ofImages || seesSet(s.standing));
}

const sees: Record<PolicyObject, (s: Subject) => boolean> = {
  user: () => true,
  team: (s) => belongs(s.standing),
  set_tag: () => true,
  dataset: () => true,
  export_format: (s) => belongs(s.standing),
  // A team's uploaded ONNX models (processing/models/): its members.
  model: (s) => belongs(s.standing),
  token: (s) => s.owner === s.caller?.id,
  screening_mode: (s) => seesOwnRow(s, true),
  image_log: (s) => seesOwnRow(s, true),
  membership: (s) => belongs(s.standing),
  // [P1] Products and their types: the team's, and those attached to a set one sees.
  product: (s) => seesSet(s.standing),
  annotation_type: (s) => seesSet(s.standing),
  image_set: (s) => seesSet(s.standing),
  image: (s) => seesSet(s.standing),
  frame_description: (s) => seesSet(s.standing),
  annotation: seesCopy,
  verification: seesCopy,
  media_file: seesCopy,
  annotation_map: seesMap,
  version: seesVersion,
  // [P9] The plugin catalogue is every signed-in user's; a job and its results are seen where its
  // proposals are (P2 with the job's creator as the copy's owner).
  plugin: () => true,
  plugin_job: seesCopy,
};

const may: Record<PolicyAction, (s: Subject) => boolean> = {
  see: () => true,
  own: (s) => s.owner === s.caller?.id,
  'own-or-administer': (s) => s.owner === s.caller?.id || administers(s.standing),
  annotate: (s) => annotates(s.standing),
  verify: (s) => annotates(s.standing),
  export: exports,
  // [P6] Making a version of a set: its team; of a blind set, those who administer the team.
  version: (s) => seesVersion(s),
  map: maps,
  // [P5] Managing a team and what it owns: its admins and superusers; whoever sees it otherwise, 403.
  administer: (s) => administers(s.standing),
};

/**
 * What a policy answers for one caller and object: `hidden` where the caller may not see it,
 * `forbidden` where they see it but may not do this, `allow` otherwise. Anonymous callers of
 * anything but `public` are refused before (401).
 */
export function decide(policy: EndpointPolicy, s: Subject): Verdict {
  if (policy === 'public') return 'allow';
  if (s.standing === 'anonymous') return 'hidden';
  if (policy === 'signed-in') return 'allow';
  if (policy === 'superuser') return s.standing === 'superuser' ? 'allow' : 'forbidden';
  const parts = policyParts(policy);
  if (parts === null) return 'hidden';
  const superuser = s.standing === 'superuser';
  // Superusers see everything but other people's tokens.
  if (!(superuser && parts.object !== 'token') && !sees[parts.object](s)) return 'hidden';
  // Superusers may everything but act as someone else (`own`: one's verdicts, tokens, screening state).
  return (superuser && parts.action !== 'own') || may[parts.action](s) ? 'allow' : 'forbidden';
}
