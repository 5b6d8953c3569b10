import type { Hocuspocus } from '@hocuspocus/server';
import type { Viewer } from '../auth/viewer.js';
import type { Logger } from '../logging/logger.js';
import { contextOf } from './collab.context.js';
import { grantFor } from './document-access.js';
import { parseDocumentName } from './document-names.js';
import type { DocumentsRepo } from './documents.repo.js';

/** How often every open connection's access is checked again (README rule A6). */
export const ACCESS_SWEEP_MS = 15_000;

/**
 * Rule A6: access granted at connect time is checked again while the connection lasts. A user who was
 * deactivated or removed from the team, or whose public set became private, is disconnected
 * (`access-revoked`); one who may now only read keeps reading but can no longer write. Every server
 * sweeps its own connections, so this holds with several instances too; `sweep()` runs one at once.
 */
export class AccessSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly hocuspocus: Hocuspocus,
    private readonly repo: DocumentsRepo,
    private readonly logger: Logger,
  ) {}

  start(intervalMs = ACCESS_SWEEP_MS): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => {
        this.logger.error({ err: error }, 'collab: access sweep failed');
      });
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Checks every open connection now (one sweep at a time). */
  sweep(): Promise<void> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<void> {
    for (const [documentName, document] of this.hocuspocus.documents) {
      const name = parseDocumentName(documentName);
      if (!name) continue;
      for (const connection of document.getConnections()) {
        let viewer: Viewer;
        try {
          viewer = contextOf(connection.context).viewer;
        } catch {
          continue;
        }
        const account = await this.repo.account(viewer.id);
        const image = account?.is_active ? await this.repo.imageAccess(name.imageId, viewer.id) : undefined;
        const current = account && { ...viewer, isSuperuser: account.is_superuser };
        const grant = current ? grantFor(current, name, image) : null;
        if (!grant) {
          this.logger.info({ user: viewer.id, document: documentName }, 'collab: access revoked');
          connection.close({ code: 4403, reason: 'access-revoked' });
        } else if (grant.readOnly && !connection.readOnly) {
          connection.readOnly = true;
        }
      }
    }
  }
}
