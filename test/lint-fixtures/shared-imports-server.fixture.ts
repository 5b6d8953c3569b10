// Linted as shared/src/: the I/O-free shared code importing the server.
import { createApp } from '@tessera/server';

export const app = createApp;
