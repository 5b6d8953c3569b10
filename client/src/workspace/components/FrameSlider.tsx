import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';

/** The frame of a multi-frame image (videos, series); hidden for single-frame images. */
export function FrameSlider({ controller }: { controller: WorkspaceController }) {
  const { frame } = useWorkspace(controller);
  const frames = controller.data.image.frames;
  if (frames <= 1) return null;
  return (
    <label className="frame-slider">
      Frame
      <input
        type="range"
        min={1}
        max={frames}
        step={1}
        value={frame}
        onChange={(e) => {
          controller.setFrame(Number(e.target.value));
        }}
      />
      <output>
        {frame} / {frames}
      </output>
    </label>
  );
}
