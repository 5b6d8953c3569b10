// The annotation workspace of one image: loads the image, its set and templates, then the live view.
// The shell routes /images/:imageId here (lazily: OpenSeadragon, Yjs and the schemas load only here).
import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '@tessera/shared';
import { WorkspaceView } from './components/WorkspaceView';
import { loadWorkspace, type WorkspaceData } from './workspace-data';
import { logImageActivity } from './image-activity';
import './workspace.css';

export interface WorkspaceProps {
  imageId: number;
  /** Show this dataset version's annotations of the image, read-only, instead of the live document. */
  versionId?: number;
  session: SessionInfo;
}

/** The workspace of one image (the shell's `/images/:imageId`). */
export function Workspace(props: WorkspaceProps): React.JSX.Element {
  const { imageId, versionId, session } = props;
  const [data, setData] = useState<WorkspaceData | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped when the server closed the document for an access change: everything is loaded again.
  const [loads, setLoads] = useState(0);
  const reload = useCallback(() => {
    setLoads((n) => n + 1);
  }, []);
  useEffect(() => {
    let current = true;
    setData(null);
    setError(null);
    loadWorkspace(imageId, versionId).then(
      (loaded) => {
        if (current) setData(loaded);
      },
      (e: unknown) => {
        if (current) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      current = false;
    };
  }, [imageId, versionId, loads]);
  // EXACT's log of who opened and closed which image when (only live images, not old versions).
  useEffect(() => (versionId === undefined ? logImageActivity(imageId) : undefined), [imageId, versionId]);
  if (error !== null) {
    return (
      <div className="workspace-message" role="alert">
        This image cannot be opened: {error}
      </div>
    );
  }
  if (data === null) {
    return (
      <div className="workspace-message" role="status">
        Loading the image…
      </div>
    );
  }
  if (data.image.state !== 'ready') {
    return (
      <div className="workspace-message" role="status">
        {data.image.state === 'failed'
          ? `This image could not be read: ${data.image.failure_reason ?? 'unknown reason'}`
          : 'This image is still being processed.'}
      </div>
    );
  }
  return <WorkspaceView key={imageId} data={data} session={session} onRevoked={reload} />;
}

export default Workspace;
