import { useEffect, useRef } from 'react';
import { scaleBarLength } from '../scale';
import type { WorkspaceController } from '../workspace-controller';

/** A scale bar from the image's microns per pixel, updated on every view change without React. */
export function ScaleBar({ controller }: { controller: WorkspaceController }) {
  const bar = useRef<HTMLDivElement>(null);
  const label = useRef<HTMLSpanElement>(null);
  const mpp = controller.data.image.mpp;
  useEffect(() => {
    const viewer = controller.viewer?.viewer;
    if (viewer === undefined || mpp <= 0) return;
    const update = () => {
      const scale = controller.viewer?.transform()?.scale;
      if (scale === undefined || bar.current === null || label.current === null) return;
      const { pixels, text } = scaleBarLength(mpp / scale, 120);
      bar.current.style.width = `${pixels}px`;
      label.current.textContent = text;
    };
    viewer.addHandler('update-viewport', update);
    update();
    return () => {
      viewer.removeHandler('update-viewport', update);
    };
  }, [controller, mpp]);
  if (mpp <= 0) return null;
  return (
    <div className="scale-bar" aria-label="Scale bar">
      <div className="scale-bar-line" ref={bar} />
      <span ref={label} />
    </div>
  );
}
