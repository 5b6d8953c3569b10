import { useEffect, useState } from 'react';
import { VectorType, type ProcessingModel } from '@tessera/shared';
import { api } from '../../api/http';
import { models } from '../../api/models';
import type { ViewProposal } from '../model-on-view';
import { visibleRect } from '../overlay-renderer';
import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';

/** The largest region EXACT's get_patch answers, per side. */
const PATCH_LIMIT = 2048;

/**
 * Runs one of the team's ONNX models in the browser on the field of view; its proposals are listed
 * for accept or reject, and only an accepted one is stored (an annotation marked generated, with its
 * score and this user's agreeing verdict).
 */
export function ModelPanel({ controller }: { controller: WorkspaceController }) {
  const { image, imageSet, types } = controller.data;
  const s = useWorkspace(controller);
  const [available, setAvailable] = useState<ProcessingModel[]>([]);
  const [chosen, setChosen] = useState<number | null>(null);
  const [proposals, setProposals] = useState<ViewProposal[]>([]);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    models.ofTeam(imageSet.team).then(
      (found) => {
        if (!current) return;
        setAvailable(found);
        setChosen(found[0]?.id ?? null);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [imageSet.team]);
  const model = available.find((m) => m.id === chosen);
  if (model === undefined) return null;
  const shape = model.spec.decoding.kind === 'boxes' ? VectorType.box : VectorType.polygon;
  const type = types.find((t) => t.vector_type === shape);
  const run = async () => {
    const view = controller.viewer?.transform();
    if (view == null) return;
    const r = visibleRect(view);
    const x = Math.max(0, Math.floor(r.minX));
    const y = Math.max(0, Math.floor(r.minY));
    const width = Math.min(PATCH_LIMIT, Math.ceil(Math.min(image.width, r.maxX)) - x);
    const height = Math.min(PATCH_LIMIT, Math.ceil(Math.min(image.height, r.maxY)) - y);
    if (width < 1 || height < 1) return;
    setNote('Running the model on the view…');
    try {
      const pixels = await models.region(image.id, { x, y, width, height });
      // The WebAssembly runtime loads only when someone runs a model, not with every workspace.
      const { runModelOnPixels } = await import('../model-on-view');
      const found = await runModelOnPixels(await models.file(model.id), model.spec, pixels, { x, y });
      setProposals(found);
      setNote(`${found.length} proposal(s) in view: accept or reject each.`);
    } catch (e) {
      setNote(`The model could not run: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const accept = async (p: ViewProposal) => {
    if (type === undefined) return;
    const created = await api<{ id: number }[]>('POST', '/annotations/annotations/', [
      { annotation_type: type.id, image: image.id, vector: p.vector, generated: true, score: p.score },
    ]);
    const id = created[0]?.id;
    if (id !== undefined)
      await api('POST', '/annotations/verifications/', { annotation: id, verified: true });
    setProposals((list) => list.filter((q) => q !== p));
  };
  return (
    <section className="panel" aria-labelledby="model-heading" data-testid="model-panel">
      <h2 id="model-heading">Model in the browser</h2>
      <label>
        Model{' '}
        <select
          value={model.id}
          onChange={(e) => {
            setChosen(Number(e.target.value));
          }}
        >
          {available.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={type === undefined || s.readOnly} onClick={() => void run()}>
        Run on the view
      </button>
      {type === undefined ? (
        <p className="hint">The image has no annotation type of this model’s shape.</p>
      ) : null}
      {note !== null ? (
        <p className="hint" data-testid="model-note">
          {note}
        </p>
      ) : null}
      <ul className="model-proposals">
        {proposals.map((p) => (
          <li key={`${p.x1},${p.y1},${p.x2},${p.y2}`} data-testid="model-proposal">
            <button
              type="button"
              onClick={() => controller.viewer?.flyTo({ minX: p.x1, minY: p.y1, maxX: p.x2, maxY: p.y2 })}
            >
              ({p.x1}, {p.y1}) score {p.score.toFixed(2)}
            </button>{' '}
            <button type="button" onClick={() => void accept(p)}>
              Accept
            </button>{' '}
            <button
              type="button"
              onClick={() => {
                setProposals((list) => list.filter((q) => q !== p));
              }}
            >
              Reject
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
