import type { Image } from '@tessera/shared';
import { useEffect, useRef, useState, type SubmitEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { images } from '../../api/resources';
import { uploadImages } from '../../api/upload';
import { ErrorNotice } from '../../components/Notice';
import { formatBytes } from '../../format';

/** One file's way: sending (with progress), then the server's answer, then the image's state. */
interface FileUpload {
  readonly key: number;
  readonly name: string;
  readonly size: number;
  loaded: number;
  outcome?: { image: number } | { skipped: string } | { error: string };
}

const POLL_MS = 1500;

/**
 * Uploads files one request each (so each has its progress and its own answer), then follows them.
 * Files come from the picker or are dropped on the section; `onUploaded` hears of each new image.
 */
export function UploadSection({ setId, onUploaded }: { setId: number; onUploaded?: () => void }) {
  const [uploads, setUploads] = useState<FileUpload[]>([]);
  const [states, setStates] = useState(new Map<number, Image>());
  // Batches under way: files dropped during an upload start their own batch beside it.
  const [running, setRunning] = useState(0);
  const busy = running > 0;
  const [pollError, setPollError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const nextKey = useRef(0);
  const formRef = useRef<HTMLFormElement>(null);

  const update = (key: number, change: Partial<FileUpload>) => {
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('files');
    start(input instanceof HTMLInputElement && input.files ? [...input.files] : [], true);
  };

  const start = (files: readonly File[], fromPicker: boolean) => {
    if (files.length === 0) return;
    const batch = files.map((file) => ({ file, key: nextKey.current++ }));
    setUploads((all) => [
      ...batch.map(({ file, key }) => ({ key, name: file.name, size: file.size, loaded: 0 })),
      ...all,
    ]);
    setRunning((n) => n + 1);
    void (async () => {
      for (const { file, key } of batch) {
        try {
          const answer = await uploadImages(setId, [file], (progress) => {
            update(key, { loaded: progress.loaded * (file.size / Math.max(progress.total, 1)) });
          });
          const created = answer.results[0];
          const skipped = answer.skipped[0];
          update(key, {
            loaded: file.size,
            outcome: created
              ? { image: created.id }
              : { skipped: skipped?.reason ?? 'Skipped by the server.' },
          });
          if (created) {
            setStates((map) => new Map(map).set(created.id, created));
            onUploaded?.();
          }
        } catch (problem) {
          update(key, { outcome: { error: problem instanceof Error ? problem.message : String(problem) } });
        }
      }
      if (fromPicker) formRef.current?.reset();
      setRunning((n) => n - 1);
    })();
  };

  // Follow the images still processing until each is ready or failed.
  const waiting = [...states.values()]
    .filter((image) => image.state === 'processing')
    .map((image) => image.id);
  const waitingKey = waiting.join(',');
  useEffect(() => {
    if (waitingKey === '') return;
    const timer = setInterval(() => {
      images.byIds(waitingKey.split(',').map(Number)).then(
        (page) => {
          setPollError(null);
          setStates((map) => {
            const next = new Map(map);
            for (const image of page.results) next.set(image.id, image);
            return next;
          });
        },
        (problem: unknown) => {
          setPollError(problem instanceof Error ? problem.message : String(problem));
        },
      );
    }, POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [waitingKey]);

  return (
    <section
      className={`panel upload-drop${dragging ? ' dragging' : ''}`}
      aria-labelledby="upload-title"
      data-testid="upload-drop"
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => {
        setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        start([...event.dataTransfer.files], false);
      }}
    >
      <h2 id="upload-title">Upload images</h2>
      <p className="muted">Drop files here, or choose them:</p>
      <form className="stacked-form" onSubmit={submit} ref={formRef}>
        <label htmlFor="upload-files">
          Files (whole-slide images, DICOM, videos, ordinary images or zips)
        </label>
        <input id="upload-files" name="files" type="file" multiple required disabled={busy} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Uploading…' : 'Upload'}
          </button>
        </div>
      </form>
      <ErrorNotice message={pollError} />
      {uploads.length > 0 ? (
        <ul className="upload-list" aria-label="Uploads">
          {uploads.map((upload) => (
            <UploadRow key={upload.key} upload={upload} states={states} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function UploadRow({ upload, states }: { upload: FileUpload; states: Map<number, Image> }) {
  const percent = upload.size === 0 ? 100 : Math.round((upload.loaded / upload.size) * 100);
  const outcome = upload.outcome;
  let status: ReactNode = `${percent} %`;
  if (outcome !== undefined && 'error' in outcome) status = <span className="failure">{outcome.error}</span>;
  else if (outcome !== undefined && 'skipped' in outcome)
    status = <span className="muted">Skipped: {outcome.skipped}</span>;
  else if (outcome !== undefined) {
    const image = states.get(outcome.image);
    status =
      image === undefined || image.state === 'processing' ? (
        <span className="badge badge-busy">processing</span>
      ) : image.state === 'ready' ? (
        <span>
          <span className="badge badge-ok">ready</span> <Link to={`/images/${image.id}`}>{image.name}</Link>
        </span>
      ) : (
        <span className="failure">
          <span className="badge badge-error">failed</span> {image.failure_reason}
        </span>
      );
  }
  return (
    <li className="upload-row" data-testid="upload-row">
      <span className="upload-name">{upload.name}</span>
      <span className="muted">{formatBytes(upload.size)}</span>
      <progress max={100} value={percent} aria-label={`Upload of ${upload.name}`} />
      <span className="upload-status" aria-live="polite">
        {status}
      </span>
    </li>
  );
}
