import { useEffect, useMemo, useState } from 'react';
import { ErrorNotice } from '../../components/Notice';
import { matchOverlays, overlayLayer, type DeclaredOverlay } from '../plugin-overlays';
import type { WorkspaceController } from '../workspace-controller';

/**
 * A plugin's overlays in its panel: one toggle per overlay its manifest declares (on at first), each
 * drawn over the image while on. A declared overlay the module does not export, or one whose draw
 * function threw (and was switched off), is reported here.
 */
export function PluginOverlays({
  controller,
  declared,
  exported,
}: {
  controller: WorkspaceController;
  declared: readonly DeclaredOverlay[];
  exported: unknown;
}) {
  const { drawable, missing } = useMemo(() => matchOverlays(declared, exported), [declared, exported]);
  const [off, setOff] = useState<ReadonlySet<string>>(() => new Set());
  const [failures, setFailures] = useState<ReadonlyMap<string, string>>(() => new Map());
  useEffect(() => {
    const layers = drawable
      .filter(({ overlay }) => !off.has(overlay.name) && !failures.has(overlay.name))
      .map(({ overlay, draw }) =>
        overlayLayer(
          draw,
          (view) => controller.shapesInView(view),
          (message) => {
            setFailures((now) => new Map(now).set(overlay.name, message));
          },
        ),
      );
    for (const layer of layers) controller.extraLayers.add(layer);
    controller.viewer?.requestDraw();
    return () => {
      for (const layer of layers) controller.extraLayers.delete(layer);
      controller.viewer?.requestDraw();
    };
  }, [controller, drawable, off, failures]);
  const toggle = (name: string, on: boolean) => {
    setOff((now) => {
      const next = new Set(now);
      if (on) next.delete(name);
      else next.add(name);
      return next;
    });
  };
  if (declared.length === 0) return null;
  return (
    <fieldset className="plugin-overlays">
      <legend>Overlays</legend>
      {drawable.map(({ overlay }) => (
        <label key={overlay.name} title={overlay.description}>
          <input
            type="checkbox"
            checked={!off.has(overlay.name) && !failures.has(overlay.name)}
            disabled={failures.has(overlay.name)}
            onChange={(e) => {
              toggle(overlay.name, e.target.checked);
            }}
          />
          {overlay.name}
          <span className="hint"> {overlay.description}</span>
        </label>
      ))}
      {missing.map((name) => (
        <ErrorNotice
          key={name}
          message={`Overlay “${name}” is declared but the panel module does not draw it.`}
        />
      ))}
      {[...failures].map(([name, message]) => (
        <ErrorNotice key={name} message={`Overlay “${name}” failed and was switched off: ${message}`} />
      ))}
    </fieldset>
  );
}
