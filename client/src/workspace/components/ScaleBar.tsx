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
    const update = () => {
      const scale = controller.viewer?.transform()?.scale;
      if (scale === undefined) return;
      const m = magnification(image, scale);
      if (power.current !== null && m !== null) power.current.textContent = formatMagnification(m);
      if (known === null || bar.current === null || label.current === null) return;
      const { pixels, text } = scaleBarLength(known.mpp / scale, 120);
      bar.current.style.width = `${pixels}px`;
      label.current.textContent = known.estimated ? `≈ ${text}` : text;
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
