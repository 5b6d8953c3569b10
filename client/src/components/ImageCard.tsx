import type { Image } from '@tessera/shared';
import { Link } from 'react-router';
import { formatBytes, plural } from '../format';

/** One image of a set: thumbnail, name, size, state, annotation count; opens the workspace. */
export function ImageCard({ image, count }: { image: Image; count: number | undefined }) {
  const ready = image.state === 'ready';
  const label = `Open ${image.name}${count === undefined ? '' : `, ${plural(count, 'annotation')}`}`;
  // Only ready images open: the workspace needs tiles, which the server refuses (409) before that.
  // The name is the link; its box covers the card (CSS), so the whole card opens the image.
  return (
    <li className={`image-card state-${image.state}`} data-image-id={image.id}>
      <div className="card">
        <div className="thumb">
          {ready ? (
            <img
              src={`/api/v1/images/images/${image.id}/thumbnail/`}
              alt={`Thumbnail of ${image.name}`}
              loading="lazy"
              decoding="async"
            />
          ) : (
            <span className={`thumb-state state-${image.state}`} aria-hidden="true">
              {image.state === 'processing' ? 'Processing…' : 'Failed'}
            </span>
          )}
        </div>
        <div className="card-body">
          {ready ? (
            <Link to={`/images/${image.id}`} className="card-title card-link" aria-label={label}>
              {image.name}
            </Link>
          ) : (
            <span className="card-title">{image.name}</span>
          )}
          <span className="card-meta">
            {ready ? `${image.width.toLocaleString('en')} × ${image.height.toLocaleString('en')} px` : null}
            {ready && image.size_bytes !== null ? ` · ${formatBytes(image.size_bytes)}` : null}
          </span>
          {image.state === 'ready' ? (
            <span className="card-count" data-testid="annotation-count">
              {count === undefined ? '… annotations' : plural(count, 'annotation')}
            </span>
          ) : image.state === 'processing' ? (
            <span className="badge badge-busy">processing</span>
          ) : (
            <span className="failure" data-testid="failure-reason">
              <span className="badge badge-error">failed</span> {image.failure_reason ?? 'No reason given.'}
            </span>
          )}
        </div>
      </div>
    </li>
  );
}
