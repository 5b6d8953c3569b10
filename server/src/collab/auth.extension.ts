import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import type { AuthService } from '../auth/auth.service.js';
import { SESSION_COOKIE } from '../auth/authenticate.middleware.js';
import type { Viewer } from '../auth/viewer.js';
import type { Logger } from '../logging/logger.js';
import { CollabRefusal, type CollabContext } from './collab.context.js';
import { documentRetired, grantFor } from '../access/policy/document-grant.js';
import { parseDocumentName } from './document-names.js';
import type { DocumentsRepo } from './documents.repo.js';

/**
 * Who connects, and what they may do with the document they ask for (README rules A1-A5). A
 * personal access token arrives as the provider's `token`; a browser presents its session cookie
 * with the WebSocket upgrade request. Everything else is refused before the document is loaded.
 */
export class AuthExtension implements Extension {
  readonly extensionName = 'tessera-auth';
  readonly priority = 1000;

  constructor(
    private readonly auth: AuthService,
    private readonly repo: DocumentsRepo,
    private readonly logger: Logger,
  ) {}

  async onAuthenticate(data: onAuthenticatePayload): Promise<CollabContext> {
    const viewer = await this.identify(data.token, data.requestHeaders);
    const name = parseDocumentName(data.documentName);
    const image = name && (await this.repo.imageAccess(name.imageId, viewer.id));
    const grant = name && grantFor(viewer, name, image ?? undefined);
    if (!grant) {
      this.logger.info({ user: viewer.id, document: data.documentName }, 'collab: document refused');
      throw new CollabRefusal('forbidden');
    }
    // G6: told apart from a refusal, so that a browser holding it offline writes its work elsewhere.
    if (image && documentRetired(name, image)) {
      this.logger.info({ user: viewer.id, document: data.documentName }, 'collab: retired document refused');
      throw new CollabRefusal('document-retired');
    }
    data.connectionConfig.readOnly = grant.readOnly;
    // Returned values are merged into the connection's context by Hocuspocus.
    return { viewer, grant };
  }

  private async identify(token: string, headers: Headers): Promise<Viewer> {
    if (token.startsWith('pat_')) {
      try {
        return await this.auth.verifyAccessToken(token);
      } catch {
        throw new CollabRefusal('unauthorized', 4401);
      }
    }
    const session = readCookie(headers.get('cookie'), SESSION_COOKIE);
    if (session !== null && sameOrigin(headers)) {
      const resumed = await this.auth.resumeSession(session);
      if (resumed) return resumed.viewer;
    }
    throw new CollabRefusal('unauthorized', 4401);
  }
}

/** One cookie's value from a Cookie header, or null. */
export function readCookie(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? null : value;
    }
  }
  return null;
}

/**
 * Cookies ride along with cross-site WebSocket handshakes, so a browser's handshake must come from
 * a page of this server: its Origin (when sent; non-browser clients send none) names our host.
 */
function sameOrigin(headers: Headers): boolean {
  const origin = headers.get('origin');
  if (origin === null) return true;
  try {
    return new URL(origin).host === headers.get('host');
  } catch {
    return false;
  }
}
