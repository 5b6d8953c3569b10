import { useEffect, useState } from 'react';
import { listAnnotations, type Annotation } from '@tessera/shared';
import { diffShapes, type DiffShape } from '../version-diff';
import { loadVersionView, VersionDocument } from '../version-document';
import type { WorkspaceController } from '../workspace-controller';

/** One side of a comparison: a dataset version's id, or the document the workspace shows now. */
export type DiffSideId = number | 'now';

/** How long the live side waits after an edit before the diff is computed again. */
const LIVE_RECOMPUTE_MS = 200;

async function versionAnnotations(versionId: number, imageId: number): Promise<Annotation[]> {
  const version = new VersionDocument(await loadVersionView(versionId, imageId));
  try {
    return listAnnotations(version.doc);
  } finally {
    version.destroy();
  }
}

/**
 * The shapes that differ on the workspace's image from `from` to `to` (null while loading or when no
 * comparison is asked for); a side that is "now" follows the live document's edits.
 */
export function useVersionDiff(
  controller: WorkspaceController,
  from: DiffSideId | null,
  to: DiffSideId,
): { shapes: DiffShape[] | null; error: string | null } {
  const [shapes, setShapes] = useState<DiffShape[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const imageId = controller.data.image.id;
  useEffect(() => {
    setShapes(null);
    setError(null);
    if (from === null) return;
    let current = true;
    let stop: () => void = () => undefined;
    const load = (side: DiffSideId) =>
      side === 'now' ? Promise.resolve(null) : versionAnnotations(side, imageId);
    Promise.all([load(from), load(to)]).then(
      ([before, after]) => {
        if (!current) return;
        const doc = controller.live.doc;
        const compute = () => {
          setShapes(diffShapes(before ?? listAnnotations(doc), after ?? listAnnotations(doc)));
        };
        compute();
        if (before !== null && after !== null) return;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const onUpdate = () => {
          timer ??= setTimeout(() => {
            timer = undefined;
            if (current) compute();
          }, LIVE_RECOMPUTE_MS);
        };
        doc.on('update', onUpdate);
        stop = () => {
          doc.off('update', onUpdate);
          clearTimeout(timer);
        };
      },
      (problem: unknown) => {
        if (current) setError(problem instanceof Error ? problem.message : String(problem));
      },
    );
    return () => {
      current = false;
      stop();
    };
  }, [controller, imageId, from, to]);
  return { shapes, error };
}
