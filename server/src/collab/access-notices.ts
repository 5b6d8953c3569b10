import { listenForNotices, type NoticeListener } from '../db/notices.js';
import type { Logger } from '../logging/logger.js';
import type { AccessSweeper, ConnectionFilter } from './access-sweep.js';

/** The channel migration 0013's triggers notify on every change that can end or narrow access. */
export const ACCESS_CHANNEL = 'tessera_access';

/**
 * The open connections a notice names: `user:<id>` (account, sessions, tokens, memberships) or
 * `set:<id>` (an image set's visibility, team or kind); undefined for anything else.
 */
export function connectionsNamed(payload: string): ConnectionFilter | undefined {
  const match = /^(user|set):(\d{1,10})$/.exec(payload);
  if (!match) return undefined;
  const id = Number(match[2]);
  return match[1] === 'user' ? (c) => c.viewer.id === id : (c) => c.grant.imageSetId === id;
}

/**
 * Rule A6 at once: each access notice committed by any server (or by SQL by hand) makes this server
 * check the connections it names; after the listening connection was lost, every connection.
 */
export function listenForAccessChanges(url: string, sweeper: AccessSweeper, logger: Logger): NoticeListener {
  const failed = (error: unknown) => {
    logger.error({ err: error }, 'collab: checking access after a change failed');
  };
  return listenForNotices(url, ACCESS_CHANNEL, {
    onNotice(payload) {
      const filter = connectionsNamed(payload);
      (filter ? sweeper.recheck(filter) : sweeper.sweep()).catch(failed);
    },
    onResume() {
      sweeper.sweep().catch(failed);
    },
    onError(error) {
      logger.warn({ err: error }, 'collab: the connection listening for access changes failed');
    },
  });
}
