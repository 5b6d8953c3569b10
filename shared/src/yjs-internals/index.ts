// What the rest of Tessera may use of the Yjs internals folder (README.md: what each relies on).
export { quietLoads } from './quiet-loads.js';
export { mapKeyCount, mapKeyItem, hasPending, storedStructAt } from './doc-internals.js';
export { addsNothing } from './update-content.js';
export { advanceStateVector, readStateVector, stateVectorFromUpdate } from './state-vector.js';
export { cutDelta, diffUpdateFast } from './state-delta.js';
