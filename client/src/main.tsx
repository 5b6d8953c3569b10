// Entry point: mounts the React app into index.html's #root.
import './parse-without-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startEarlyDocumentFetch } from './early-document';
import { registerServiceWorkerWhenSettled } from './register-service-worker';
import { preloadWorkspaceFor } from './workspace-module';
import './style.css';

// Before anything renders: on an image's workspace its document is what the page waits for longest.
startEarlyDocumentFetch(window.location);
preloadWorkspaceFor(window.location);

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// The service worker keeps the app and its last REST answers for reloads while offline (service-worker/).
// Only in builds (the dev server's modules are not hashed assets), and only once the page has settled.
if (import.meta.env.PROD) registerServiceWorkerWhenSettled(window.location);
