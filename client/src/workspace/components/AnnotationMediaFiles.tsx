import { useCallback, useEffect, useState } from 'react';
import { MEDIA_FILE_TYPES, type RestAnnotationMediaFile } from '@tessera/shared';
import { mediaFiles } from '../../api/media-files';

/** One attached file, played or shown in place by its kind; anything else is a download link. */
function MediaFile({ file }: { file: RestAnnotationMediaFile }) {
  switch (file.media_file_type) {
    case MEDIA_FILE_TYPES.audio:
      return <audio controls preload="metadata" src={file.file} aria-label={file.name} />;
    case MEDIA_FILE_TYPES.video:
      return <video controls preload="metadata" src={file.file} aria-label={file.name} width={240} />;
    case MEDIA_FILE_TYPES.image:
      return <img src={file.file} alt={file.name} width={240} />;
    default:
      return <a href={file.file}>{file.name}</a>;
  }
}

/**
 * The files attached to the selected annotation, and (for editors) a picker to attach one. The
 * annotation is looked up by its unique_identifier: a freshly drawn one (selected as it is drawn) has
 * no REST id until the server has projected it, so the lookup is repeated for a while until it has.
 */
export function AnnotationMediaFiles(props: { image: number; uniqueIdentifier: string; readOnly: boolean }) {
  const { image, uniqueIdentifier, readOnly } = props;
  const [annotation, setAnnotation] = useState<number | undefined>();
  const [files, setFiles] = useState<RestAnnotationMediaFile[]>([]);
  const [message, setMessage] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const id = await mediaFiles.annotationId(image, uniqueIdentifier);
    setAnnotation(id);
    setFiles(id === undefined ? [] : await mediaFiles.ofAnnotation(id));
    return id;
  }, [image, uniqueIdentifier]);

  useEffect(() => {
    setMessage(undefined);
    let timer: number | undefined;
    let done = false;
    // Not projected yet: asked again after 0.25, 0.5, 1, 2 and 4 s (the projection follows the sync).
    const attempt = (delay: number) => {
      load()
        .then((id) => {
          if (id === undefined && delay <= 4000 && !done)
            timer = window.setTimeout(attempt, delay, delay * 2);
        })
        .catch((error: unknown) => {
          setMessage(error instanceof Error ? error.message : String(error));
        });
    };
    attempt(250);
    return () => {
      done = true;
      window.clearTimeout(timer);
    };
  }, [load]);

  const attach = async (file: File) => {
    if (annotation === undefined) return;
    setBusy(true);
    setMessage(undefined);
    try {
      await mediaFiles.attach(annotation, file);
      await load();
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="media-files" data-testid="media-files">
      <h3>Media files</h3>
      {files.length === 0 ? <p className="hint">None attached.</p> : null}
      <ul>
        {files.map((file) => (
          <li key={file.id} data-testid="media-file">
            <span>{file.name}</span>
            <MediaFile file={file} />
          </li>
        ))}
      </ul>
      {readOnly || annotation === undefined ? null : (
        <label>
          Attach a file
          <input
            type="file"
            accept="image/*,video/*,audio/*"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void attach(file);
            }}
          />
        </label>
      )}
      {message === undefined ? null : (
        <p role="alert" className="error">
          {message}
        </p>
      )}
    </div>
  );
}
