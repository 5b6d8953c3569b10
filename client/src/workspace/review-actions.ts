// The reviewer's actions in the workspace: accept or reject the selection (F, Shift+F; proposals
// and second opinions alike) and go to the next annotation that needs their opinion (E), on this
// image or another of the set.
import { annotations, reviews } from '../api/resources';
import { pointsOf, rectOf } from './geometry';
import { isProposal } from './proposal-rules';
import type { WorkspaceController } from './workspace-controller';

/** Queue items read at once: enough to skip the few whose verdicts the projection has not caught up on. */
const LOOKAHEAD = 20;

/** Where the next annotation needing the reviewer is: here (its id) or on another image. */
export type QueueStep = { image: number; annotation: string } | null;

/**
 * Accepts (true) or rejects (false) the selection as this user, the one action of F / Shift+F and of
 * the review and proposal panels' buttons: proposals and others' annotations alike. One's own
 * annotations are left alone (they need others' verdicts), except proposals: their creator is whoever
 * imported them, and judging an algorithm's shape is theirs to do as well. Says what it did.
 */
export function judgeSelection(c: WorkspaceController, verified: boolean): void {
  if (c.getSnapshot().readOnly || c.data.version !== undefined) {
    c.say('You can view this image but not give verdicts here.');
    return;
  }
  const ids = [...c.getSnapshot().selection];
  if (ids.length === 0) {
    c.say('Select an annotation first (E goes to the next one that needs your opinion).');
    return;
  }
  const own = ids.filter((id) => {
    const record = c.index.get(id)?.record;
    return record !== undefined && record.created.by === c.session.user.id && !isProposal(record);
  });
  const judged = c.castVerdicts(
    ids.filter((id) => !own.includes(id)),
    verified,
  );
  const done = `${verified ? 'Accepted' : 'Rejected'} ${judged} annotation(s).`;
  const left = `${own.length} of your own annotation(s) left alone: they need others' verdicts.`;
  c.say(own.length === 0 ? done : judged === 0 ? left : `${done} ${left}`);
}

/**
 * The next annotation of the set that needs this reviewer, after the selected one in review order
 * (from the start when nothing follows). Ones this browser already judged are skipped: the server's
 * projection may not have their verdict yet.
 */
export async function nextInQueue(c: WorkspaceController): Promise<QueueStep> {
  const [current] = c.getSnapshot().selection;
  const here = c.data.image.id;
  const judgedHere = (item: { image: number; unique_identifier: string }) =>
    item.image === here && c.review.mine(item.unique_identifier) !== undefined;
  const attempts = current === undefined ? [undefined] : [current, undefined];
  for (const after of attempts) {
    const page = await reviews.queue(c.data.imageSet.id, {
      limit: LOOKAHEAD,
      ...(after === undefined ? {} : { after }),
    });
    const item = page.results.find((i) => !judgedHere(i) && i.unique_identifier !== current);
    if (item !== undefined) return { image: item.image, annotation: item.unique_identifier };
  }
  return null;
}

/** How long an arriving workspace waits for the annotation it was sent to (document and viewer). */
const FOCUS_WAIT_MS = 60_000;

/**
 * Selects annotation `id` and flies to it once the document has it and the viewer has opened the
 * image (`/images/<id>?annotation=<uuid>`, where "next in queue" sends the reviewer); returns the
 * function that stops waiting. On an image with regions the browser holds only the regions near the
 * view (G4): an annotation elsewhere is located through the REST API and the view goes there, which
 * opens its region.
 */
export function focusWhenReady(c: WorkspaceController, id: string): () => void {
  const started = Date.now();
  let locating = false;
  const timer = window.setInterval(() => {
    const opened = c.viewer?.viewer.world.getItemAt(0) !== undefined;
    if (Date.now() - started > FOCUS_WAIT_MS) window.clearInterval(timer);
    if (!opened) return;
    if (c.index.get(id) !== undefined) {
      window.clearInterval(timer);
      c.flyTo(id);
      return;
    }
    if (c.regions === null || locating) return;
    locating = true;
    goToRegionOf(c, id).catch((e: unknown) => {
      window.clearInterval(timer);
      c.say(`The annotation could not be found: ${e instanceof Error ? e.message : String(e)}`);
    });
  }, 100);
  return () => {
    window.clearInterval(timer);
  };
}

/** Flies to where the server says annotation `id` lies; throws when it has none there. */
async function goToRegionOf(c: WorkspaceController, id: string): Promise<void> {
  const points = pointsOf(await annotations.vectorOf(c.data.image.id, id));
  if (points.length === 0) throw new Error('it is not on this image, or has no shape');
  c.viewer?.flyTo(rectOf(points));
}
