import { useEffect, useRef } from 'react';
import { formatMagnification, magnification, micronsPerPixel } from '../measure';
import { scaleBarLength } from '../scale';
import type { WorkspaceController } from '../workspace-controller';

/**
 * The magnification on screen (the objective's power at full resolution) and a scale bar, from the
 * image's mpp or, failing that, its objective power (then marked "≈"). Updated on every view change
 * without React. An image with neither says so: lengths are then in pixels.
 */
export function ScaleBar({ controller }: { controller: WorkspaceController }) {
  const bar = useRef<HTMLDivElement>(null);
  const label = useRef<HTMLSpanElement>(null);
  const power = useRef<HTMLSpanElement>(null);
  const image = controller.data.image;
  const resolution = micronsPerPixel(image);
  useEffect(() => {
    const viewer = controller.viewer?.viewer;
    if (viewer === undefined) return;
    const known = micronsPerPixel(image);
    // Written only when they change: a write on every frame of a pan would make the browser lay the
    // page out again on every frame (OpenSeadragon's navigator reads element sizes each frame).
    const shown = { power: '', width: '', label: '' };
    const update = () => {
      const scale = controller.viewer?.transform()?.scale;
      if (scale === undefined) return;
      const m = magnification(image, scale);
      const powerText = m === null ? shown.power : formatMagnification(m);
      if (power.current !== null && powerText !== shown.power)
        power.current.textContent = shown.power = powerText;
      if (known === null || bar.current === null || label.current === null) return;
      const { pixels, text } = scaleBarLength(known.mpp / scale, 120);
      const width = `${pixels}px`;
      const labelText = known.estimated ? `≈ ${text}` : text;
      if (width !== shown.width) bar.current.style.width = shown.width = width;
      if (labelText !== shown.label) label.current.textContent = shown.label = labelText;
    };
    viewer.addHandler('update-viewport', update);
    update();
    return () => {
      viewer.removeHandler('update-viewport', update);
    };
  }, [controller, image]);
  if (resolution === null) {
    return <span className="hint">No resolution known for this image: lengths are in pixels.</span>;
  }
  return (
    <>
      <span className="magnification" ref={power} aria-label="Magnification" data-testid="magnification" />
      <div className="scale-bar" aria-label="Scale bar">
        <div className="scale-bar-line" ref={bar} />
        <span ref={label} />
      </div>
    </>
  );
}
