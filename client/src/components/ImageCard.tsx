import type { Image, ImageContributors } from '@tessera/shared';
import { Link } from 'react-router';
import { formatBytes, plural } from '../format';

type Contributor = ImageContributors['results'][number]['users'][number];

/** "alice (3), bob (edited 1)": who worked on an image, most productive first. */
function workedOn(users: readonly Contributor[]): string {
  return users.map((u) => `${u.username} (${u.created > 0 ? u.created : `edited ${u.edited}`})`).join(', ');
}

/**
 * One image of a set: thumbnail, name, the uploaded file's name where the viewer may see it, size,
 * state (a failure with its reason), annotation count and who worked on it; opens the workspace.
 */
export function ImageCard(props: {
  image: Image;
  count: number | undefined;
  users?: readonly Contributor[];
}) {
  const { image, count } = props;
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
          {image.original_filename ? (
            <span className="card-meta" data-testid="original-name">
              File: {image.original_filename}
            </span>
          ) : null}
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
          {props.users !== undefined && props.users.length > 0 ? (
            <span className="card-meta" data-testid="worked-on">
              By {workedOn(props.users)}
            </span>
          ) : null}
        </div>
      </div>
    </li>
  );
}
