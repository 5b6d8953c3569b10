import type { beforeSyncPayload, Extension } from '@hocuspocus/server';
import { validateUpdate } from '@tessera/shared';
import type { Logger } from '../logging/logger.js';
import type { AllowedTypes } from './allowed-types.js';
import { CollabRefusal, contextOf } from './collab.context.js';

/** y-protocols sync message types: step 2 and update carry a Yjs update to apply. */
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/**
 * Checks every incoming update with shared's `validateUpdate` (the sender's role, the set's allowed
 * annotation types) before it is logged, applied or broadcast (README rules V1-V3). A refusal
 * throws: Hocuspocus closes the document for that client, which must reload it.
 */
export class ValidationExtension implements Extension {
  readonly extensionName = 'tessera-validation';
  // Before persistence (lower priority runs later): nothing unchecked reaches the log.
  readonly priority = 500;
  private readonly checked = new WeakSet<Uint8Array>();

  constructor(
    private readonly types: AllowedTypes,
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
    const result = validateUpdate(data.document, data.payload, {
      sender: { userId: viewer.id, role: grant.role },
      types,
    });
    if (!result.ok) {
      this.logger.warn(
        { user: viewer.id, document: data.documentName, reason: result.reason },
        'collab: update refused',
      );
      throw new CollabRefusal(`invalid-update: ${result.reason}`);
    }
    this.checked.add(data.payload);
  }
}
