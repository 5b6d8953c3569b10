import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnnotation, setVerification } from '@tessera/shared';
import { AnnotationIndex } from './annotation-index';
import { mirrorDocument } from './document-binding';
import { reviewPredicate } from './review-filter';
import { ReviewState } from './review-state';
import { VerdictIndex } from './verdict-index';
import { castVerdicts } from './verdicts';
import { glyphOf, verdictMark } from './verdict-marks';

const CREATOR = 1;
const ME = 2;
const OTHER = 3;
const ids = ['a', 'b', 'c', 'd'].map((l) => `00000000-0000-4000-8000-00000000000${l}`) as [
  string,
  string,
  string,
  string,
];

function scene(required: number) {
  const doc = new Y.Doc();
  for (const id of ids) createAnnotation(doc, { id, type: 1, vector: null }, { userId: CREATOR });
  createAnnotation(
    doc,
    { id: 'generated-0000-4000-8000-000000000000', type: 1, vector: null, generated: true },
    { userId: ME },
  );
  const index = new AnnotationIndex(100, 100);
  mirrorDocument(doc, index, () => undefined);
  const verdicts = new VerdictIndex();
  let changes = 0;
  verdicts.follow(doc, () => changes++);
  const review = new ReviewState(ME, required, verdicts);
  const item = (id: string) => {
    const found = index.get(id);
    if (found === undefined) throw new Error(`no ${id}`);
    return found;
  };
  const matching = (filter: Parameters<typeof reviewPredicate>[0]) => {
    const keep = reviewPredicate(filter, review) ?? (() => true);
    return [...index.all()].filter(keep).map((a) => a.id);
  };
  return { doc, review, item, matching, changes: () => changes };
}

describe('ReviewState', () => {
  it('follows verdicts from this browser and from others, and counts them by the set rule', () => {
    const s = scene(1);
    const [a, b, c] = ids;
    expect(castVerdicts(s.doc, [a], ME, true)).toEqual([a]);
    setVerification(s.doc, b, false, { userId: OTHER });
    setVerification(s.doc, c, true, { userId: OTHER });
    setVerification(s.doc, c, false, { userId: ME });
    expect(s.changes()).toBe(4);
    expect(s.review.mine(a)).toBe(true);
    expect(s.review.status(s.item(a))).toBe('verified');
    expect(s.review.status(s.item(b))).toBe('rejected');
    expect(s.review.status(s.item(c))).toBe('disputed');
    expect(castVerdicts(s.doc, ['no-such-annotation'], ME, true)).toEqual([]);
  });

  it('filters by review state, by what needs me and by generated', () => {
    const s = scene(2);
    const [a, b, c, d] = ids;
    setVerification(s.doc, a, true, { userId: OTHER });
    setVerification(s.doc, b, true, { userId: OTHER });
    castVerdicts(s.doc, [b], ME, true);
    setVerification(s.doc, c, true, { userId: CREATOR });
    expect(s.matching('verified')).toEqual([b]);
    expect(s.matching('needs-me')).toEqual([a, c, d]);
    expect(s.matching('unverified')).toEqual([a, c, d, 'generated-0000-4000-8000-000000000000']);
    expect(s.matching('generated')).toEqual(['generated-0000-4000-8000-000000000000']);
    expect(s.matching('all')).toHaveLength(5);
  });

  it('marks reviewed annotations only: status colour, with the viewer’s own verdict while open', () => {
    const s = scene(2);
    const [a, b, , d] = ids;
    castVerdicts(s.doc, [a], ME, false);
    setVerification(s.doc, b, true, { userId: OTHER });
    setVerification(s.doc, b, false, { userId: ME });
    expect(verdictMark(s.review, s.item(d))).toBeNull();
    const open = verdictMark(s.review, s.item(a));
    expect(open).toEqual({ status: 'open', mine: false });
    expect(open && glyphOf(open)).toBe('cross');
    const disputed = verdictMark(s.review, s.item(b));
    expect(disputed && glyphOf(disputed)).toBe('bang');
  });
});
