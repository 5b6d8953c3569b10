// `?annotation=<uuid>` on a workspace address (the map view's "open on its slide" link): once the
// annotation is in the document and the slide is open, it is selected and flown to, once.
import type { WorkspaceController } from './workspace-controller';

/** How often, and how long, the workspace is checked for the annotation and the open slide. */
const CHECK_MS = 100;
const GIVE_UP_MS = 20_000;

/** Selects and shows annotation `uuid` as soon as it can; answers a function that stops waiting. */
export function focusAnnotationWhenReady(controller: WorkspaceController, uuid: string): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    const ready = controller.index.get(uuid) !== undefined && controller.viewer?.transform() != null;
    if (ready) controller.flyTo(uuid);
    if (ready || Date.now() - started > GIVE_UP_MS) clearInterval(timer);
  }, CHECK_MS);
  return () => {
    clearInterval(timer);
  };
}
