// Proposals: how they are drawn for a threshold and verdicts, and the verdicts a reviewer writes,
// checked by the server's own validator as they would be over the wire.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  VectorType,
  createAnnotation,
  readVerifications,
  validateUpdate,
  type AnnotationTypes,
} from '@tessera/shared';
import { AnnotationIndex } from './annotation-index';
import { mirrorDocument } from './document-binding';
import { MAX_BULK_ACCEPT, ProposalReview } from './proposal-review';
import { acceptableInView, isProposal, lookOf, proposalState, summarise } from './proposal-rules';
import { reviewPredicate } from './review-filter';
import { ReviewState } from './review-state';
import { VerdictIndex } from './verdict-index';
import { castVerdicts } from './verdicts';
import { annotationRecord } from '../testing/records';

const TYPES: AnnotationTypes = new Map([[1, { vectorType: VectorType.box }]]);
const box = (x: number) => ({ x1: x, y1: 0, x2: x + 10, y2: 10 });
const proposal = (score: number | null) =>
  annotationRecord(box(0), { created: { by: 1, at: 1, generated: true, score } });
const verdict = (verified: boolean, at: number) => ({ verified, at });

describe('proposalState', () => {
  it('is pending without verdicts; one’s own verdict decides, else the latest of anyone', () => {
    expect(proposalState(undefined, 7)).toBe('pending');
    expect(proposalState(new Map(), 7)).toBe('pending');
    expect(proposalState(new Map([[2, verdict(true, 5)]]), 7)).toBe('accepted');
    const split = new Map([
      [2, verdict(true, 5)],
      [3, verdict(false, 9)],
    ]);
    expect(proposalState(split, 7)).toBe('rejected');
    expect(proposalState(new Map([...split, [7, verdict(true, 1)]]), 7)).toBe('accepted');
  });
});

describe('lookOf', () => {
  const view = { threshold: 0.5, showRejected: false };
  it('draws people’s annotations and accepted proposals solid, pending ones dashed', () => {
    expect(lookOf(annotationRecord(box(0)), 'pending', view)).toBe('solid');
    expect(lookOf(proposal(0.9), 'pending', view)).toBe('proposal');
    expect(lookOf(proposal(0.1), 'accepted', view)).toBe('solid');
  });

  it('hides pending proposals under the threshold, never those without a score', () => {
    expect(lookOf(proposal(0.49), 'pending', view)).toBe('hidden');
    expect(lookOf(proposal(0.5), 'pending', view)).toBe('proposal');
    expect(lookOf(proposal(null), 'pending', view)).toBe('proposal');
    expect(lookOf(proposal(0.1), 'pending', { ...view, threshold: null })).toBe('proposal');
  });

  it('hides rejected proposals unless asked for', () => {
    expect(lookOf(proposal(0.9), 'rejected', view)).toBe('hidden');
    expect(lookOf(proposal(0.9), 'rejected', { ...view, showRejected: true })).toBe('rejected');
  });
});

describe('acceptableInView and summarise', () => {
  const shapes = [
    { id: 'high', record: proposal(0.9) },
    { id: 'edge', record: proposal(0.5) },
    { id: 'low', record: proposal(0.2) },
    { id: 'unscored', record: proposal(null) },
    { id: 'done', record: proposal(0.95) },
    { id: 'human', record: annotationRecord(box(0)) },
  ];
  const stateOf = (id: string) => (id === 'done' ? 'accepted' : 'pending');
  it('takes pending proposals with a score at or above the threshold', () => {
    expect(acceptableInView(shapes, stateOf, 0.5)).toEqual(['high', 'edge']);
    expect(acceptableInView(shapes, stateOf, null)).toEqual(['high', 'edge', 'low']);
  });

  it('counts proposals by state and spans their scores', () => {
    expect(summarise(shapes, stateOf)).toEqual({
      pending: 4,
      accepted: 1,
      rejected: 0,
      scores: { min: 0.2, max: 0.95 },
    });
  });
});

/** A document with proposals at x = 0, 100, 200 (scores 0.9, 0.6, 0.3) and one by a person. */
function scene(userId: number) {
  const server = new Y.Doc();
  const ids = [0.9, 0.6, 0.3].map((score, i) =>
    createAnnotation(
      server,
      { id: crypto.randomUUID(), type: 1, vector: box(i * 100), generated: true, score },
      { userId: 1 },
    ),
  );
  const human = createAnnotation(
    server,
    { id: crypto.randomUUID(), type: 1, vector: box(300) },
    { userId: 1 },
  );
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  const updates: Uint8Array[] = [];
  const refusals: string[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'remote') return;
    updates.push(update);
    const answer = validateUpdate(server, update, { sender: { userId, role: 'annotator' }, types: TYPES });
    if (answer.ok) Y.applyUpdate(server, update);
    else refusals.push(answer.reason);
  });
  const index = new AnnotationIndex(1000, 1000);
  mirrorDocument(doc, index, () => undefined);
  let writable = true;
  let changes = 0;
  const verdicts = new VerdictIndex();
  verdicts.follow(doc, () => changes++);
  const review = new ProposalReview(userId, index, verdicts, {
    cast: (ids, verified) => (writable ? castVerdicts(doc, ids, userId, verified).length : 0),
    changed: () => changes++,
  });
  return {
    index,
    verdicts,
    server,
    doc,
    ids,
    human,
    review,
    updates,
    refusals,
    changes: () => changes,
    readOnly: () => (writable = false),
  };
}

describe('ProposalReview', () => {
  it('accepts and rejects as the reviewer’s own verdicts, with their time, accepted by the server', () => {
    const s = scene(5);
    const [high, mid] = s.ids as [string, string, string];
    expect(s.review.decide([high], true)).toBe(1);
    expect(s.review.decide([mid, s.human], false)).toBe(1); // a person's annotation is not a proposal
    expect(s.refusals).toEqual([]);
    expect(readVerifications(s.server, high)).toEqual([
      { annotation: high, user: 5, verified: true, at: expect.any(Number) as number },
    ]);
    expect(readVerifications(s.server, mid)[0]).toMatchObject({ user: 5, verified: false });
    expect(readVerifications(s.server, s.human)).toEqual([]);
    expect(s.review.stateOf(high)).toBe('accepted');
    expect(s.review.stateOf(mid)).toBe('rejected');
  });

  it('accepts every pending proposal in view at or above the threshold in one update', () => {
    const s = scene(5);
    const [high, mid, low] = s.ids as [string, string, string];
    s.review.setThreshold(0.5);
    const before = s.updates.length;
    const everywhere = { minX: 0, minY: 0, maxX: 1000, maxY: 1000 };
    expect(s.review.acceptableIn(everywhere, null).sort()).toEqual([high, mid].sort());
    expect(s.review.acceptInView({ minX: 50, minY: 0, maxX: 1000, maxY: 1000 }, null)).toEqual({
      accepted: 1,
    });
    expect(s.review.stateOf(mid)).toBe('accepted');
    expect(s.review.stateOf(high)).toBe('pending'); // out of the view
    expect(s.review.acceptInView(everywhere, null)).toEqual({ accepted: 1 });
    expect(s.updates.length - before).toBe(2);
    expect(s.review.stateOf(low)).toBe('pending');
    expect(s.refusals).toEqual([]);
  });

  it('follows verdicts written elsewhere and writes nothing for read-only viewers', () => {
    const s = scene(5);
    const [high] = s.ids as [string, string, string];
    const seen = s.changes();
    const colleague = new Y.Doc();
    Y.applyUpdate(colleague, Y.encodeStateAsUpdate(s.server));
    colleague.on('update', (update: Uint8Array) => {
      Y.applyUpdate(s.doc, update, 'remote');
    });
    colleague.getMap('verifications').set(`${high}:9`, { verified: false, at: 10 });
    expect(s.review.stateOf(high)).toBe('rejected');
    expect(s.changes()).toBeGreaterThan(seen);
    s.readOnly();
    const stored = s.updates.length;
    expect(s.review.decide([high], true)).toBe(0);
    expect(s.updates.length).toBe(stored);
  });

  it('refuses a bulk accept of more than MAX_BULK_ACCEPT proposals, writing nothing', () => {
    const doc = new Y.Doc();
    for (let i = 0; i <= MAX_BULK_ACCEPT; i++) {
      const vector = {
        x1: i % 1000,
        y1: Math.floor(i / 1000),
        x2: (i % 1000) + 1,
        y2: Math.floor(i / 1000) + 1,
      };
      createAnnotation(
        doc,
        { id: crypto.randomUUID(), type: 1, vector, generated: true, score: 1 },
        { userId: 1 },
      );
    }
    const index = new AnnotationIndex(1000, 1000);
    mirrorDocument(doc, index, () => undefined);
    const verdicts = new VerdictIndex();
    verdicts.follow(doc, () => undefined);
    const review = new ProposalReview(5, index, verdicts, {
      cast: (ids, verified) => castVerdicts(doc, ids, 5, verified).length,
      changed: () => undefined,
    });
    let updates = 0;
    doc.on('update', () => updates++);
    const everywhere = { minX: 0, minY: 0, maxX: 1000, maxY: 1000 };
    expect(review.acceptInView(everywhere, null)).toEqual({ tooMany: MAX_BULK_ACCEPT + 1 });
    expect(updates).toBe(0);
  });
});

describe('one verdict mirror for proposals and second opinions', () => {
  it('shows a proposal verdict to the review rule, and the list’s Generated filter finds the panel’s proposals', () => {
    const s = scene(5);
    const [high] = s.ids as [string, string, string];
    const review = new ReviewState(5, 1, s.verdicts);
    const item = s.index.get(high);
    if (item === undefined) throw new Error('no proposal');
    expect(review.needsMe(item)).toBe(true);
    expect(s.review.decide([high], true)).toBe(1);
    expect(review.mine(high)).toBe(true);
    expect(review.status(item)).toBe('verified');
    expect(s.review.stateOf(high)).toBe('accepted');
    const generated = reviewPredicate('generated', review);
    const all = [...s.index.all()];
    expect(all.filter((a) => generated?.(a) === true).map((a) => a.id)).toEqual(
      all.filter((a) => isProposal(a.record)).map((a) => a.id),
    );
    expect(summarise(all, s.review.stateOf)).toMatchObject({ pending: 2, accepted: 1, rejected: 0 });
  });
});
