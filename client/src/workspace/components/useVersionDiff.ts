import { useEffect, useState } from 'react';
import { listAnnotations, regionKey, regionOfVector, type Annotation } from '@tessera/shared';
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
 * What the workspace holds now. An image with regions (G4) has its annotations in the regions this
 * browser has open, mirrored into the one index (the index document holds only image labels).
 */
function annotationsNow(controller: WorkspaceController): Annotation[] {
  if (controller.regions === null) return listAnnotations(controller.live.doc);
  const list: Annotation[] = [];
  for (const item of controller.index.all())
    if (!item.record.deleted) list.push({ id: item.id, ...item.record });
  return list;
}

/** A version's annotations cut to the regions open now (image labels kept), to compare with now. */
function inOpenRegions(controller: WorkspaceController, list: Annotation[]): Annotation[] {
  const regions = controller.regions;
  if (regions === null) return list;
  const open = new Set(regions.keys());
  return list.filter((a) => {
    const region = regionOfVector(a.vector, regions.size);
    return region === null || open.has(regionKey(region));
  });
}

/**
 * The shapes that differ on the workspace's image from `from` to `to` (null while loading or when no
 * comparison is asked for); a side that is "now" follows the workspace's edits. On an image with
 * regions a comparison with now covers the regions open around the view (`partial`), and follows
 * the view as regions open and close.
 */
export function useVersionDiff(
  controller: WorkspaceController,
  from: DiffSideId | null,
  to: DiffSideId,
): { shapes: DiffShape[] | null; error: string | null; partial: boolean } {
  const [shapes, setShapes] = useState<DiffShape[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const imageId = controller.data.image.id;
  const partial = controller.regions !== null && from !== null && (from === 'now' || to === 'now');
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
        const side = (version: Annotation[] | null, other: Annotation[] | null) =>
          version === null
            ? annotationsNow(controller)
            : other === null
              ? inOpenRegions(controller, version)
              : version;
        const compute = () => {
          setShapes(diffShapes(side(before, after), side(after, before)));
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
        // The regions' documents change the index, and open or close as the view moves.
        let seen = controller.index.version;
        const onChange = () => {
          if (controller.index.version === seen) return;
          seen = controller.index.version;
          onUpdate();
        };
        doc.on('update', onUpdate);
        const unsubscribe = controller.regions === null ? () => undefined : controller.subscribe(onChange);
        stop = () => {
          doc.off('update', onUpdate);
          unsubscribe();
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
  return { shapes, error, partial };
}
