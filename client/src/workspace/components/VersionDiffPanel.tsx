import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { versions } from '../../api/resources';
import { VersionSelect } from '../../components/VersionSelect';
import { parseId } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { countShapes, DIFF_STYLES, drawDiff, type ShapeChange } from '../version-diff';
import type { WorkspaceController } from '../workspace-controller';
import { useVersionDiff, type DiffSideId } from './useVersionDiff';
import './version-diff.css';

const KINDS: readonly ShapeChange[] = ['added', 'removed', 'changed'];

/** `?diff=<id>&to=<id|now>`: the sides of the comparison the URL asks for. */
function sidesOf(params: URLSearchParams): { from: DiffSideId | null; to: DiffSideId } {
  const to = params.get('to');
  return {
    from: parseId(params.get('diff') ?? undefined),
    to: to === null || to === 'now' ? 'now' : (parseId(to) ?? 'now'),
  };
}

/**
 * Compare this image between two dataset versions, or a version and now: the differing shapes are
 * drawn over the image (added, removed, moved or changed, each in its own style) with a legend. The
 * choice lives in the URL, so the versions page links straight to a comparison.
 */
export function VersionDiffPanel({ controller }: { controller: WorkspaceController }) {
  const image = controller.data.image;
  const list = useLoad(() => versions.ofImageSet(image.image_set), [image.image_set]);
  const [params, setParams] = useSearchParams();
  const { from, to } = sidesOf(params);
  const { shapes, error, partial } = useVersionDiff(controller, from, to);
  useEffect(() => {
    if (shapes === null) return;
    const layer = (ctx: CanvasRenderingContext2D, view: Parameters<typeof drawDiff>[1], dpr: number) => {
      drawDiff(ctx, view, dpr, shapes, controller.styles);
    };
    controller.extraLayers.add(layer);
    controller.viewer?.requestDraw();
    return () => {
      controller.extraLayers.delete(layer);
      controller.viewer?.requestDraw();
    };
  }, [controller, shapes]);
  const options = (list.data?.results ?? []).filter((v) => v.images.includes(image.id));
  if (options.length === 0) return null;
  const choose = (key: 'diff' | 'to', value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
  };
  const counts = shapes === null ? null : countShapes(shapes);
  return (
    <section className="panel" aria-labelledby="diff-heading">
      <h2 id="diff-heading">Compare versions</h2>
      <label className="field">
        From
        <VersionSelect
          label="Compare from"
          versions={options}
          value={from === null ? '' : String(from)}
          first={{ value: '', label: '(no comparison)' }}
          onChange={(value) => {
            choose('diff', value);
          }}
        />
      </label>
      <label className="field">
        To
        <VersionSelect
          label="Compare to"
          versions={options}
          value={String(to)}
          first={{ value: 'now', label: controller.data.version === undefined ? 'now' : 'the version shown' }}
          onChange={(value) => {
            choose('to', value);
          }}
        />
      </label>
      {error !== null ? <p role="alert">{error}</p> : null}
      {partial ? (
        <p className="hint" data-testid="diff-scope">
          Compared where the image is loaded, around the view: pan to compare elsewhere.
        </p>
      ) : null}
      {counts === null ? null : (
        <ul className="diff-legend" data-testid="diff-legend">
          {KINDS.map((kind) => (
            <li key={kind} data-change={kind} data-count={counts[kind]} data-color={DIFF_STYLES[kind].color}>
              <span
                className="diff-swatch"
                aria-hidden="true"
                style={{
                  borderColor: DIFF_STYLES[kind].color,
                  borderStyle: DIFF_STYLES[kind].dash.length > 0 ? 'dashed' : 'solid',
                }}
              />
              {counts[kind]} {DIFF_STYLES[kind].label}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
