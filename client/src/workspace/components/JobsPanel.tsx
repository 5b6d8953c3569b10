import type { RestPluginJob } from '@tessera/shared';
import { useEffect, useState } from 'react';
import { api } from '../../api/http';
import { pluginJobs, plugins, type PanelApi, type PluginListing } from '../../api/processing';
import { ErrorNotice } from '../../components/Notice';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import type { WorkspaceController } from '../workspace-controller';
import { PluginOverlays } from './PluginOverlays';
import { useWorkspace } from './useWorkspace';

/** What a plugin's panel module exports: `mount`, and optionally its overlays' draw functions. */
interface PanelModule {
  mount?: (element: HTMLElement, api: PanelApi) => (() => void) | undefined;
  overlays?: unknown;
}

/** How often the panel asks for the jobs of the image while one is queued or running. */
const POLL_MS = 1_000;

/**
 * The image's plugin jobs, live: run a plugin enabled for the set, follow each job's progress bar and
 * ETA, cancel or retry it, read why it failed. Proposals arrive in the live document on their own.
 */
export function JobsPanel({ controller }: { controller: WorkspaceController }) {
  const { readOnly } = useWorkspace(controller);
  const imageId = controller.data.image.id;
  const imageSetId = controller.data.image.image_set;
  const catalogue = useLoad(() => plugins.catalogue(imageSetId), [imageSetId]);
  const jobs = useLoad(() => pluginJobs.ofImage(imageId), [imageId]);
  const act = useAction();
  const active = (jobs.data?.results ?? []).some((j) => j.state === 'queued' || j.state === 'running');
  const { reload } = jobs;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(reload, POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [active, reload]);
  const runnable = (catalogue.data ?? []).flatMap((p) => p.jobs).filter((j) => j.plugin !== null);
  const [chosen, setChosen] = useState<number | ''>('');
  const run = (work: () => Promise<unknown>) => {
    void act.run(work).then(reload);
  };
  return (
    <section className="panel" aria-labelledby="jobs-heading" data-testid="plugin-jobs">
      <h2 id="jobs-heading">Algorithms</h2>
      {runnable.length > 0 && !readOnly ? (
        <form
          className="job-run"
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen !== '') run(() => pluginJobs.create(chosen, imageId));
          }}
        >
          <select
            aria-label="Plugin"
            value={chosen}
            onChange={(e) => {
              setChosen(e.target.value === '' ? '' : Number(e.target.value));
            }}
          >
            <option value="">Choose a plugin…</option>
            {runnable.map((j) => (
              <option key={j.name} value={j.plugin ?? ''} title={j.description}>
                {j.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={chosen === '' || act.busy}>
            Run on this image
          </button>
        </form>
      ) : null}
      <ErrorNotice message={act.error ?? jobs.error} />
      <ul className="job-list">
        {(jobs.data?.results ?? []).map((job) => (
          <JobRow key={job.id} job={job} onAction={run} />
        ))}
      </ul>
      {(catalogue.data ?? [])
        .filter((p) => p.panel !== null)
        .map((p) => (
          <PluginPanel key={p.name} controller={controller} plugin={p} />
        ))}
    </section>
  );
}

function JobRow({ job, onAction }: { job: RestPluginJob; onAction: (work: () => Promise<unknown>) => void }) {
  const eta = job.eta_time === null ? null : new Date(`${job.eta_time}Z`);
  return (
    <li data-testid="plugin-job" data-state={job.state}>
      <span>
        #{job.id} {job.state}
      </span>
      <progress max={100} value={job.processing_complete} aria-label={`Job ${job.id} progress`} />
      {job.state === 'running' && eta !== null ? (
        <span className="hint">
          {' '}
          about {Math.max(0, Math.round((eta.getTime() - Date.now()) / 1000))} s left
        </span>
      ) : null}
      {job.error_message !== null ? <span className="error"> {job.error_message}</span> : null}
      {job.state === 'queued' || job.state === 'running' ? (
        <button
          type="button"
          onClick={() => {
            onAction(() => pluginJobs.cancel(job.id));
          }}
        >
          Cancel
        </button>
      ) : null}
      {job.state === 'failed' || job.state === 'cancelled' ? (
        <button
          type="button"
          onClick={() => {
            onAction(() => pluginJobs.retry(job.id));
          }}
        >
          Retry
        </button>
      ) : null}
    </li>
  );
}

/**
 * A plugin's own panel: its ES module, loaded from the server, mounts itself into a box of ours; the
 * overlays it exports are drawn over the image, with a toggle each.
 */
function PluginPanel({ controller, plugin }: { controller: WorkspaceController; plugin: PluginListing }) {
  const { name, panel: url } = plugin;
  const imageId = controller.data.image.id;
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [module, setModule] = useState<PanelModule | null>(null);
  useEffect(() => {
    if (box === null || url === null) return;
    let unmount: (() => void) | undefined;
    let gone = false;
    const panelApi: PanelApi = { imageId, get: (path) => api('GET', path) };
    import(/* @vite-ignore */ url)
      .then((loaded: PanelModule) => {
        if (gone) return;
        if (typeof loaded.mount !== 'function') throw new Error(`${name}: its panel exports no mount()`);
        unmount = loaded.mount(box, panelApi) ?? undefined;
        setModule(loaded);
      })
      .catch((error: unknown) => {
        setProblem(error instanceof Error ? error.message : String(error));
      });
    return () => {
      gone = true;
      unmount?.();
    };
  }, [box, url, imageId, name]);
  return (
    <div className="plugin-panel" data-testid={`plugin-panel-${name}`}>
      <h3>{name}</h3>
      <div ref={setBox} />
      <ErrorNotice message={problem} />
      {module === null ? null : (
        <PluginOverlays controller={controller} declared={plugin.overlays} exported={module.overlays} />
      )}
    </div>
  );
}
