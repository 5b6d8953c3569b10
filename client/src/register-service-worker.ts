// Registers the service worker (service-worker/sw.ts) once the page has settled. Registering at
// start-up made the worker precache the whole app and claim the page while the first image was still
// loading: bench/client measured a fresh open of a 100,000-annotation image at 3.6 s with it and
// 2.1 s without (docs/benchmarks.md). Offline reloads only need the worker some time after the first
// visit, so it waits for the load event, then (on a workspace) for its annotations to be on screen,
// then for an idle moment. The tiles already on screen are then handed to it.
import { TILE_PATH } from './service-worker/cache-names';

/** Set by the workspace when its annotations are first drawn (workspace-controller.ts). */
const ANNOTATIONS_DRAWN = 'tessera:annotations-drawn';
/** A workspace that never draws annotations (an empty image, a failed load) waits no longer than this. */
const DRAWN_WAIT_MS = 5_000;
/** requestIdleCallback's timeout: a page that is never idle still registers. */
const IDLE_TIMEOUT_MS = 2_000;

export function registerServiceWorkerWhenSettled(location: Pick<Location, 'pathname'>): void {
  if (!('serviceWorker' in navigator)) return;
  const onWorkspace = /^\/images\/\d{1,12}\/?$/.test(location.pathname);
  void afterLoad()
    .then(() => (onWorkspace ? annotationsDrawn() : undefined))
    .then(whenIdle)
    .then(() => {
      if (navigator.serviceWorker.controller === null) keepTilesSeenOnceControlled();
      return navigator.serviceWorker.register('/sw.js');
    })
    .catch((error: unknown) => {
      console.warn('Offline reloads are unavailable: the service worker did not register.', error);
    });
}

function afterLoad(): Promise<void> {
  if (document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    window.addEventListener(
      'load',
      () => {
        resolve();
      },
      { once: true },
    );
  });
}

function annotationsDrawn(): Promise<void> {
  return new Promise((resolve) => {
    if (performance.getEntriesByName(ANNOTATIONS_DRAWN, 'mark').length > 0) {
      resolve();
      return;
    }
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName(ANNOTATIONS_DRAWN, 'mark').length > 0) done();
    });
    const timer = setTimeout(done, DRAWN_WAIT_MS);
    function done(): void {
      clearTimeout(timer);
      observer.disconnect();
      resolve();
    }
    observer.observe({ type: 'mark' });
  });
}

function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if ('requestIdleCallback' in window) {
      window.requestIdleCallback(
        () => {
          resolve();
        },
        { timeout: IDLE_TIMEOUT_MS },
      );
    } else {
      setTimeout(resolve, 0);
    }
  });
}

/**
 * The tiles on screen were loaded before the worker existed, so it never saw them. Once it controls
 * the page they are asked for again (mostly from the HTTP cache) so an offline reload still shows them.
 */
function keepTilesSeenOnceControlled(): void {
  navigator.serviceWorker.addEventListener(
    'controllerchange',
    () => {
      for (const entry of performance.getEntriesByType('resource')) {
        const url = new URL(entry.name);
        if (url.origin !== window.location.origin || !TILE_PATH.test(url.pathname)) continue;
        fetch(url, { credentials: 'same-origin' }).catch(() => undefined);
      }
    },
    { once: true },
  );
}
