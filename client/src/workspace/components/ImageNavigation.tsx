import { Link } from 'react-router';
import type { WorkspaceData } from '../workspace-data';

/** The set's images with previous and next (EXACT's image list beside the viewer). */
export function ImageNavigation({ data }: { data: WorkspaceData }) {
  const at = data.siblings.findIndex((i) => i.id === data.image.id);
  const previous = at > 0 ? data.siblings[at - 1] : undefined;
  const next = at >= 0 ? data.siblings[at + 1] : undefined;
  // In a version view, moving between images stays in the version.
  const suffix = data.version === undefined ? '' : `?version=${data.version.id}`;
  return (
    <nav className="panel" aria-label="Images of this set">
      <h2>
        <Link to={`/sets/${data.imageSet.id}`}>{data.imageSet.name}</Link>
      </h2>
      <p className="image-name" data-testid="image-name">
        {data.image.name}
      </p>
      {data.version === undefined ? null : (
        <p className="version-note" data-testid="version-note">
          Version “{data.version.name}”, read-only · <Link to={`/images/${data.image.id}`}>back to now</Link>
        </p>
      )}
      <div className="prev-next">
        {previous ? (
          <Link to={`/images/${previous.id}${suffix}`} rel="prev">
            ← Previous
          </Link>
        ) : (
          <span aria-disabled="true">← Previous</span>
        )}
        {next ? (
          <Link to={`/images/${next.id}${suffix}`} rel="next">
            Next →
          </Link>
        ) : (
          <span aria-disabled="true">Next →</span>
        )}
      </div>
      <ol className="image-list">
        {data.siblings.map((i) => (
          <li key={i.id}>
            <Link to={`/images/${i.id}${suffix}`} aria-current={i.id === data.image.id ? 'page' : undefined}>
              {i.name}
            </Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}
