/**
 * The access policy an endpoint declares: what it touches and what it does with it. The rules that
 * decide who may (per standing and collaboration mode) live in `access/policy/`; the declaration is
 * here because every endpoint names one, and the authorization matrix test
 * (`access/policy/authorization-matrix.db.test.ts`) checks each route's answers against the rules.
 */

/** What an endpoint's path (or, for a list, each item of its answer) names. */
export type PolicyObject =
  | 'user'
  | 'token'
  | 'team'
  | 'membership'
  | 'image_set'
  | 'set_tag'
  | 'product'
  | 'annotation_type'
  | 'image'
  | 'frame_description'
  | 'annotation'
  | 'verification'
  | 'media_file'
  | 'annotation_map'
  | 'image_log'
  | 'screening_mode'
  | 'version'
  | 'export_format'
  | 'dataset'
  | 'plugin'
  | 'plugin_job'
  | 'model';

/**
 * What the endpoint does with it: `see` (read one, list), `annotate` (create, change or delete
 * annotations and what hangs off them), `verify` (set one's verdict), `export` (take a set's or a
 * version's annotations out), `version` (make a dataset version of a set), `map` (make an annotation
 * map of a set: it shows every reader's annotations), `administer` (manage
 * the object or its team), `own` (only the caller's own rows, superusers included: tokens,
 * screening state, one's verdicts), `own-or-administer` (one's own row, or any row of a team one
 * administers: leaving a team).
 */
export type PolicyAction =
  'see' | 'annotate' | 'verify' | 'export' | 'version' | 'map' | 'administer' | 'own' | 'own-or-administer';

/**
 * One line per endpoint: `policy: 'annotation.annotate'`. `public`: anyone, signed in or not;
 * `signed-in`: any signed-in user, about themselves or what every user may read; `superuser`: only
 * superusers.
 */
export type EndpointPolicy = 'public' | 'signed-in' | 'superuser' | `${PolicyObject}.${PolicyAction}`;

/** The object and action of a policy; null for `public`, `signed-in` and `superuser`. */
export function policyParts(
  policy: EndpointPolicy,
): { readonly object: PolicyObject; readonly action: PolicyAction } | null {
  const [object, action] = policy.split('.') as [PolicyObject, PolicyAction | undefined];
  return action === undefined ? null : { object, action };
}
