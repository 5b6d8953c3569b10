import type { Image } from '@tessera/shared';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { administers, collaborationLabel } from '../access';
import { annotations, images, imageSets, memberships } from '../api/resources';
import { ImageCard } from '../components/ImageCard';
import { ErrorNotice } from '../components/Notice';
import { mapLimit, parseId, plural } from '../format';
import { useLoad } from '../hooks/useLoad';
import { useTitle } from '../hooks/useTitle';
import { useSession } from '../session';
import { NotFoundPage } from './NotFoundPage';
import { MapsSection } from '../maps/MapsSection';
import { ReviewSection } from './ReviewSection';
import { SetTypesPrompt } from './SetTypesPrompt';
import { UploadSection } from './settings/UploadSection';
import { PluginsSection } from './PluginsSection';
import { VersionsSection } from './VersionsSection';
import { Skeleton } from '../components/Skeleton';

const PAGE_SIZE = 60;
/** How often the page looks again while images are still being processed. */
const PROCESSING_POLL_MS = 2000;

/** The images of one set as thumbnails with state and annotation counts. */
export function ImageSetPage() {
  const setId = parseId(useParams().setId);
  if (setId === null) return <NotFoundPage />;
  return <ImageSetView setId={setId} />;
}

function ImageSetView({ setId }: { setId: number }) {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const pageNumber = Math.max(1, parseId(params.get('page') ?? undefined) ?? 1);
  const set = useLoad(async () => {
    const [loaded, mine, annotationCount] = await Promise.all([
      imageSets.get(setId),
      memberships.ofUser(session.user.id),
      annotations.countInSet(setId),
    ]);
    return { set: loaded, annotationCount, isAdmin: administers(session, mine.results, loaded.team) };
  }, [setId, session]);
  const list = useLoad(
    () => images.page(setId, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE),
    [setId, pageNumber],
  );
  const { counts, error: countsError } = useAnnotationCounts(list.data?.results);
  const contributors = useLoad(async () => {
    const answer = await imageSets.contributors(setId);
    return new Map(answer.results.map((r) => [r.image, r.users]));
    // Loaded again with the images (after an upload, while some are processing).
  }, [setId, list.data]);
  useTitle(set.data?.set.name ?? 'Image set');

  const processing = list.data?.results.some((image) => image.state === 'processing') ?? false;
  const { reload } = list;
  useEffect(() => {
    if (!processing) return;
    const timer = setInterval(reload, PROCESSING_POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [processing, reload]);

  if (set.error !== null && set.data === undefined) {
    return (
      <div className="page">
        <ErrorNotice message={set.error} />
        <Link to="/">Back to the image sets</Link>
      </div>
    );
  }
  const total = list.data?.count ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/">Image sets</Link> <span aria-hidden="true">/</span>{' '}
        <span>{set.data?.set.name ?? '…'}</span>
      </nav>
      <div className="page-head">
        <h1>{set.data?.set.name ?? 'Image set'}</h1>
        {set.data ? (
          <span className="muted">
            {plural(total, 'image')} · {plural(set.data.annotationCount, 'annotation')} ·{' '}
            {collaborationLabel(set.data.set.collaboration_type)}
          </span>
        ) : null}
        {set.data?.isAdmin ? (
          <>
            <Link className="button" to={`/sets/${setId}/study`}>
              Study statistics
            </Link>
            <Link className="button" to={`/sets/${setId}/settings`}>
              Settings
            </Link>
          </>
        ) : null}
      </div>
      {set.data?.set.description ? <p className="description">{set.data.set.description}</p> : null}
      <ErrorNotice message={list.error} />
      <ErrorNotice message={countsError} />
      <ErrorNotice message={contributors.error} />
      {set.data ? (
        <SetTypesPrompt set={set.data.set} isAdmin={set.data.isAdmin} onChanged={set.reload} />
      ) : null}
      {set.data?.isAdmin ? <UploadSection setId={setId} onUploaded={list.reload} /> : null}
      {processing ? (
        <p className="status-line" role="status">
          Some images are still being processed; this page updates when they are ready.
        </p>
      ) : null}
      {list.data === undefined ? (
        list.loading ? (
          <Skeleton label="Loading the images…" rows={2} />
        ) : null
      ) : list.data.results.length === 0 ? (
        <p className="empty">
          No images yet.
          {set.data?.isAdmin ? ' Drop files on the upload panel above, or choose them there.' : null}
        </p>
      ) : (
        <ul className="image-grid" aria-label="Images">
          {list.data.results.map((image) => (
            <ImageCard
              key={image.id}
              image={image}
              count={counts.get(image.id)}
              users={contributors.data?.get(image.id) ?? []}
            />
          ))}
        </ul>
      )}
      {pages > 1 ? (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            disabled={pageNumber <= 1}
            onClick={() => {
              setParams({ page: String(pageNumber - 1) });
            }}
          >
            Previous page
          </button>
          <span>
            Page {pageNumber} of {pages}
          </span>
          <button
            type="button"
            disabled={pageNumber >= pages}
            onClick={() => {
              setParams({ page: String(pageNumber + 1) });
            }}
          >
            Next page
          </button>
        </nav>
      ) : null}
      {set.data?.set.collaboration_type === 2 ? <ReviewSection setId={setId} /> : null}
      {set.data ? <VersionsSection setId={setId} isAdmin={set.data.isAdmin} /> : null}
      {set.data ? <MapsSection setId={setId} /> : null}
      {set.data ? <PluginsSection setId={setId} isAdmin={set.data.isAdmin} /> : null}
    </div>
  );
}

/**
 * Live annotation counts of the ready images shown, one `count/` request per image (a few at a time):
 * the images list carries no count.
 */
function useAnnotationCounts(shown: readonly Image[] | undefined): {
  counts: Map<number, number>;
  error: string | null;
} {
  const [counts, setCounts] = useState(new Map<number, number>());
  const [error, setError] = useState<string | null>(null);
  const key = (shown ?? [])
    .filter((image) => image.state === 'ready')
    .map((image) => image.id)
    .join(',');
  useEffect(() => {
    if (key === '') return;
    let live = true;
    const ids = key.split(',').map(Number);
    mapLimit(ids, 6, async (id) => [id, await annotations.countOnImage(id)] as const).then(
      (pairs) => {
        if (!live) return;
        setCounts(new Map(pairs));
        setError(null);
      },
      (problem: unknown) => {
        if (live)
          setError(
            `Annotation counts unavailable: ${problem instanceof Error ? problem.message : String(problem)}`,
          );
      },
    );
    return () => {
      live = false;
    };
  }, [key]);
  return { counts, error };
}
