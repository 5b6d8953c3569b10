import type { beforeSyncPayload, Extension } from '@hocuspocus/server';
import { validateUpdate } from '@tessera/shared';
import type { Logger } from '../logging/logger.js';
import type { AllowedTypes } from './allowed-types.js';
import type { ClientIdOwners } from './client-ids.js';
import { CollabRefusal, contextOf } from './collab.context.js';
import { parseDocumentName } from './document-names.js';
import type { RegionSizes } from './region-sizes.js';

/** y-protocols sync message types: step 2 and update carry a Yjs update to apply. */
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/**
 * Checks every incoming update with shared's `validateUpdate` (the sender's role, the set's allowed
 * annotation types, for a part of an image with regions its placement, G2) and the owners of the client ids it writes under, before it is logged, applied
 * or broadcast (README rules V1-V4). A refusal throws: Hocuspocus closes the document for that
 * client, which must reload it.
 */
export class ValidationExtension implements Extension {
  readonly extensionName = 'tessera-validation';
  // Before persistence (lower priority runs later): nothing unchecked reaches the log.
  readonly priority = 500;
  private readonly checked = new WeakSet<Uint8Array>();

  constructor(
    private readonly types: AllowedTypes,
    private readonly clientIds: ClientIdOwners,
    private readonly regions: RegionSizes,
    private readonly logger: Logger,
  ) {}

  /** Whether this exact payload passed the check (the persistence extension demands it). */
  isChecked(payload: Uint8Array): boolean {
    return this.checked.has(payload);
  }

  async beforeSync(data: beforeSyncPayload): Promise<void> {
    if (data.type !== SYNC_STEP_2 && data.type !== SYNC_UPDATE) return;
    // V3: read-only connections' updates are never applied (Hocuspocus answers "not saved").
    if (data.connection.readOnly) return;
    const { viewer, grant } = contextOf(data.context);
    const types = await this.types.forSet(grant.imageSetId);
    // G2: a region's document takes shapes centred in it, the index document image-level labels.
    const name = parseDocumentName(data.documentName);
    const placement = name ? await this.regions.placementOf(name) : undefined;
    const result =
      placement === null
        ? { ok: false as const, reason: 'the image has no regions' }
        : validateUpdate(data.document, data.payload, {
            sender: { userId: viewer.id, role: grant.role },
            types,
            ...(placement === undefined ? {} : { placement }),
          });
    // V4: checked after the content, so that only an update that may pass claims new client ids.
    const reason = result.ok
      ? await this.clientIds.claim(data.documentName, data.document, data.payload, viewer.id)
      : result.reason;
    if (reason !== undefined) {
      this.logger.warn({ user: viewer.id, document: data.documentName, reason }, 'collab: update refused');
      throw new CollabRefusal(`invalid-update: ${reason}`);
    }
    this.checked.add(data.payload);
  }
}
