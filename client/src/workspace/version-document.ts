// An image's annotations as a dataset version holds them, for viewing: the version's document states
// (images/set_versions/<id>/documents/) applied to a Y.Doc that nothing syncs. Read-only by
// construction: no provider, no persistence, and the workspace's edit paths are closed by `readOnly`.
import * as Y from 'yjs';
import { api } from '../api/http';
import type { SyncState } from './live-document';

/** What a workspace shows of a version it was opened with (`/images/<id>?version=<v>`). */
export interface VersionView {
  readonly id: number;
  readonly name: string;
  /** The version's document states of this image, base64 (more than one in blind sets). */
  readonly states: readonly string[];
}

/** Loads the version's name and its states of one image. */
export async function loadVersionView(versionId: number, imageId: number): Promise<VersionView> {
  const [version, documents] = await Promise.all([
    api<{ id: number; name: string }>('GET', `/images/set_versions/${versionId}/`),
    api<{ documents: { state: string }[] }>(
      'GET',
      `/images/set_versions/${versionId}/documents/?image=${imageId}`,
    ),
  ]);
  return { id: version.id, name: version.name, states: documents.documents.map((d) => d.state) };
}

/** The document source of a version view: same shape as the live document's, never changing. */
export class VersionDocument {
  readonly doc = new Y.Doc();
  readonly provider = null;
  readonly readOnly = true;
  private readonly state: SyncState;

  constructor(view: VersionView) {
    Y.transact(this.doc, () => {
      for (const state of view.states)
        Y.applyUpdate(
          this.doc,
          Uint8Array.from(atob(state), (c) => c.charCodeAt(0)),
        );
    });
    this.state = { kind: 'version', name: view.name };
  }

  getState = (): SyncState => this.state;

  subscribe =
    (_listener: () => void): (() => void) =>
    () =>
      undefined;

  destroy(): void {
    this.doc.destroy();
  }
}
