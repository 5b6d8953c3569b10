import type { Connection, Hocuspocus } from '@hocuspocus/server';
import type { AuthService } from '../auth/auth.service.js';
import type { Logger } from '../logging/logger.js';
import { type CollabContext, contextOf, followImageSet } from './collab.context.js';
import { GatedSocket } from './commit-gate.js';
import { documentRetired, grantFor } from '../access/policy/document-grant.js';
import { type DocumentName, parseDocumentName } from './document-names.js';
import type { DocumentsRepo } from './documents.repo.js';

/** How often every open connection's access is checked again (README rule A6). */
export const ACCESS_SWEEP_MS = 15_000;

/** Which open connections to check again. */
export type ConnectionFilter = (context: CollabContext) => boolean;

/**
 * Rule A6: access granted at connect time is checked again while the connection lasts. A connection
 * whose session or token ended (sign-out, revocation, a password change, expiry) or whose user was
 * deactivated is closed, and so is its WebSocket; one whose user left the team, lost the role that
 * let them open the document, or whose public set became private is disconnected from the
 * document (`access-revoked`); one who may now only read keeps reading but can no longer write.
 * Every server checks its own connections: all of them every 15 s, and at once those an access
 * change names (`recheck`, fed by access-notices.ts).
 */
export class AccessSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly hocuspocus: Hocuspocus,
    private readonly repo: DocumentsRepo,
    private readonly auth: Pick<AuthService, 'credentialHolds'>,
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
    this.running ??= this.check(() => true).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Checks the open connections `filter` selects now. It runs beside a sweep: a check only ever
   * takes access away, so one that read the state before a change cannot undo another's refusal.
   */
  recheck(filter: ConnectionFilter): Promise<void> {
    return this.check(filter);
  }

  private async check(filter: ConnectionFilter): Promise<void> {
    for (const [documentName, document] of this.hocuspocus.documents) {
      const name = parseDocumentName(documentName);
      if (!name) continue;
      for (const connection of document.getConnections()) {
        let context: CollabContext;
        try {
          context = contextOf(connection.context);
        } catch {
          continue;
        }
        if (filter(context)) await this.checkConnection(connection, context, documentName, name);
      }
    }
  }

  private async checkConnection(
    connection: Connection,
    context: CollabContext,
    documentName: string,
    name: DocumentName,
  ): Promise<void> {
    const { viewer } = context;
    const log = { user: viewer.id, document: documentName };
    if (viewer.credential !== undefined && !(await this.auth.credentialHolds(viewer.credential))) {
      this.logger.info(log, 'collab: credentials ended; closing the socket');
      connection.close({ code: 4401, reason: 'access-revoked' });
      // The socket was opened with them (a session cookie rides on its upgrade request).
      if (connection.webSocket instanceof GatedSocket) connection.webSocket.close(4401, 'access-revoked');
      return;
    }
    const account = await this.repo.account(viewer.id);
    const image = account?.is_active ? await this.repo.imageAccess(name.imageId, viewer.id) : undefined;
    const current = account && { ...viewer, isSuperuser: account.is_superuser };
    const grant = current ? grantFor(current, name, image) : null;
    if (!grant) {
      this.logger.info(log, 'collab: access revoked');
      connection.close({ code: 4403, reason: 'access-revoked' });
      return;
    }
    // G6: the image was converted to regions while this connection was open.
    if (image && documentRetired(name, image)) {
      this.logger.info(log, 'collab: document retired');
      connection.close({ code: 4403, reason: 'document-retired' });
      return;
    }
    if (grant.readOnly && !connection.readOnly) connection.readOnly = true;
    if (grant.imageSetId !== context.grant.imageSetId) followImageSet(context, grant.imageSetId);
  }
}
