import * as Y from 'yjs';
import {
  ANNOTATIONS,
  EDITS,
  ROOT_NAMES,
  VERIFICATIONS,
  annotationsOf,
  editKey,
  editsOf,
  parseEditKey,
  parseVerificationKey,
  readRecord,
  recordFromText,
  verificationsOf,
} from './document.js';
import {
  annotationFields,
  annotationId,
  annotationProblem,
  firstIssue,
  plainJsonProblem,
  verificationRecord,
  type AnnotationField,
  type AnnotationTypes,
} from './schema.js';
import {
  decode,
  deletionTest,
  integrationOrder,
  locate,
  newItems,
  Refusal,
  type Content,
  type DeleteSet,
  type NewItem,
  type Target,
} from '../yjs-internals/update-structs.js';
import { Budget, winnerOf } from '../yjs-internals/map-chain.js';
import { mapKeyItem, storedStructAt } from '../yjs-internals/doc-internals.js';
import { regionKey, regionOfVector, sameRegion, type Placement } from './regions.js';
import type { Vector } from './vector.js';

/** What a user may do in an image's document. */
export type Role = 'viewer' | 'annotator' | 'verifier';

export interface ValidateOptions {
  /** The user who sent the update and their role for this image. */
  sender: { userId: number; role: Role };
  /** The annotation types allowed on this image, by id. */
  types: AnnotationTypes;
  /** Updates larger than this are refused (default 8 MB). */
  maxBytes?: number;
  /** In an image with regions: where this document's new annotations must lie (rule G2). */
  placement?: Placement;
}

export type ValidationResult = { ok: true } | { ok: false; reason: string };

/** Longer runs of (deleted) entries in one struct are refused: Yjs merges at most a client's own history. */
const MAX_ENTRY_LENGTH = 10_000;
/** Values larger than this are refused before any schema looks at them. */
const MAX_VALUE_BYTES = 1_000_000;

/**
 * Where an entry lives: the annotations as created (key: the id), the verifications (key: user and
 * annotation), or one annotation's edits (key: the field; stored in the edits map as `<id>/<field>`).
 */
type Container = { kind: 'annotations' } | { kind: 'verifications' } | { kind: 'annotation'; id: string };
interface Place {
  container: Container;
  key: string;
}

const containerKey = (c: Container) => (c.kind === 'annotation' ? `annotation:${c.id}` : c.kind);

/**
 * Checks a client's binary Yjs update (V1) against the live document without applying it: the
 * sender's rights, the annotation schema for every value the update writes and for every annotation
 * it touches as it will be afterwards, and that the document can integrate it now. Never throws.
 */
export function validateUpdate(doc: Y.Doc, update: Uint8Array, options: ValidateOptions): ValidationResult {
  try {
    if (update.byteLength > (options.maxBytes ?? 8_000_000)) throw new Refusal('update too large');
    new UpdateCheck(doc, options).run(update);
    return { ok: true };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    return {
      ok: false,
      reason: `unreadable update (${error instanceof Error ? error.message : 'unknown error'})`,
    };
  }
}

class UpdateCheck {
  private readonly places = new Map<NewItem, Place>();
  /** New and deleted entries per touched key, by container then key. */
  private readonly touched = new Map<string, { container: Container; keys: Map<string, NewItem[]> }>();
  /** Annotations the update creates, with their records as created. */
  private readonly created = new Map<string, Record<string, unknown>>();
  private readonly budget = new Budget();
  private deletes: (id: Y.ID) => boolean = () => false;
  private byClient = new Map<number, NewItem[]>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly options: ValidateOptions,
  ) {}

  run(update: Uint8Array): void {
    const { structs, ds } = decode(update);
    const byClient = newItems(this.doc, structs);
    const order = integrationOrder(this.doc, byClient);
    this.byClient = byClient;
    this.deletes = deletionTest(ds);
    for (const entry of order) this.checkNewItem(entry, this.placeOf({ kind: 'new', entry }));
    this.checkDeletions(ds, byClient);
    if (this.options.sender.role === 'viewer' && (order.length > 0 || this.touched.size > 0)) {
      throw new Refusal('viewers may not change annotations');
    }
    this.checkOutcome();
  }

  /** Where a stored struct or a new item lands; new items take their origin's place (Item.getMissing). */
  private placeOf(target: Target): Place {
    if (target.kind === 'stored') return this.storedPlace(target.struct);
    const known = this.places.get(target.entry);
    if (known !== undefined) return known;
    const { item } = target.entry;
    const ref = item.origin ?? item.rightOrigin;
    // Decoded but not integrated, a top-level parent is its name (yjs types it as a type or an ID).
    const parentRef: unknown = item.parent;
    let place: Place;
    if (ref !== null) place = this.placeOf(this.locateKnown(ref));
    else if (typeof parentRef === 'string') {
      if (!ROOT_NAMES.includes(parentRef)) throw new Refusal(`unknown top-level entry "${parentRef}"`);
      place = rootPlace(parentRef, sub(item));
    } else if (parentRef instanceof Y.ID) {
      // Only a document from before the edits map has types inside `annotations`: they take no writes.
      throw new Refusal('writes inside an annotation map; annotations are changed through the edits map');
    } else throw new Refusal('item without a place');
    this.places.set(target.entry, place);
    return place;
  }

  private locateKnown(id: Y.ID): Target {
    return locate(this.doc, this.byClient, id);
  }

  /** The place of a struct the document has. */
  private storedPlace(struct: Y.Item | Y.GC): Place {
    if (!(struct instanceof Y.Item) || struct.parentSub === null)
      throw new Refusal('refers to removed content');
    const parent = struct.parent;
    if (parent === annotationsOf(this.doc)) return rootPlace(ANNOTATIONS, struct.parentSub);
    if (parent === editsOf(this.doc)) return rootPlace(EDITS, struct.parentSub);
    if (parent === verificationsOf(this.doc)) return rootPlace(VERIFICATIONS, struct.parentSub);
    throw new Refusal('refers to content outside the annotation layout');
  }

  private checkNewItem(entry: NewItem, place: Place): void {
    const { item } = entry;
    if (item.rightOrigin !== null) throw new Refusal('map entries have no right origin');
    if (item.length > MAX_ENTRY_LENGTH) throw new Refusal('map entry too long');
    if (place.container.kind === 'annotations') {
      this.checkNewAnnotation(entry, place.key);
      return;
    }
    this.checkRight(place);
    const content = item.content;
    if (content instanceof Y.ContentAny) {
      if (content.arr.length !== 1) throw new Refusal('a map entry holds one value');
      this.checkValue(place, content.arr[0]);
    } else if (!(content instanceof Y.ContentDeleted)) {
      throw new Refusal(`${describe(place)} must be a JSON value, not ${contentName(content)}`);
    }
    this.touch(place, entry);
  }

  /** A new annotation: its whole record as created, under a new UUID, once. */
  private checkNewAnnotation(entry: NewItem, key: string): void {
    const { item } = entry;
    if (this.options.sender.role !== 'annotator') throw new Refusal('only annotators create annotations');
    if (!annotationId.safeParse(key).success) throw new Refusal(`"${key}" is not a UUID`);
    if (
      mapKeyItem(annotationsOf(this.doc), key) !== undefined ||
      this.created.has(key) ||
      item.origin !== null
    ) {
      throw new Refusal(`annotation ${key} exists already; annotations are never replaced`);
    }
    if (this.deletes(item.id)) throw new Refusal('annotations cannot be deleted; set their deleted flag');
    const content = item.content;
    if (!(content instanceof Y.ContentAny)) {
      throw new Refusal(`annotation ${key} must be one JSON record, not ${contentName(item.content)}`);
    }
    if (content.arr.length !== 1) throw new Refusal(`annotation ${key} must be one JSON record`);
    const record = createdValue(content.arr[0], key);
    const problem =
      plainJsonProblem(record, MAX_VALUE_BYTES, 32) ?? annotationProblem(record, this.options.types);
    if (problem !== null) throw new Refusal(`annotation ${key}: ${problem}`);
    this.checkPlacement(key, record as { vector: Vector | null });
    const { created, edited } = record as { created: { by: number }; edited: { by: number } };
    for (const stamp of [created, edited]) {
      if (stamp.by !== this.options.sender.userId) {
        throw new Refusal(`annotation ${key}: written in the name of user ${stamp.by}`);
      }
    }
    this.created.set(key, record as Record<string, unknown>);
  }

  /** G2: a region's document takes new shapes centred in it, the index document image-level labels. */
  private checkPlacement(key: string, record: { vector: Vector | null }): void {
    const placement = this.options.placement;
    if (placement === undefined) return;
    if (placement.kind === 'index') {
      if (record.vector !== null)
        throw new Refusal(`annotation ${key}: shapes belong to a region's document`);
      return;
    }
    const region = regionOfVector(record.vector, placement.size);
    if (region === null)
      throw new Refusal(`annotation ${key}: image-level labels belong to the index document`);
    if (!sameRegion(region, placement.region)) {
      throw new Refusal(`annotation ${key}: its centre lies in region ${regionKey(region)}, not in this one`);
    }
  }

  /** Refuses writes (or removals) at `place` that the sender's role does not allow. */
  private checkRight(place: Place): void {
    const { role, userId } = this.options.sender;
    if (role === 'viewer') throw new Refusal('viewers may not change annotations');
    if (place.container.kind === 'verifications') {
      const parsed = parseVerificationKey(place.key);
      if (parsed === null) throw new Refusal(`"${place.key}" is not a verification key`);
      if (parsed.user !== userId) {
        throw new Refusal(`user ${userId} may not set the verification of user ${parsed.user}`);
      }
      return;
    }
    if (role !== 'annotator') throw new Refusal('verifiers may only verify');
  }

  /** Checks one written value on its own: plain JSON, the field's schema, the sender's name. */
  private checkValue(place: Place, value: unknown): void {
    const problem = plainJsonProblem(value, MAX_VALUE_BYTES, 32);
    if (problem !== null) throw new Refusal(`${describe(place)}: ${problem}`);
    const schema =
      place.container.kind === 'verifications'
        ? verificationRecord
        : annotationFields[place.key as AnnotationField];
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Refusal(`${describe(place)}: ${firstIssue(parsed.error)}`);
    if (place.key === 'edited') {
      const by = (value as { by: number }).by;
      if (by !== this.options.sender.userId)
        throw new Refusal(`${describe(place)}: written in the name of user ${by}`);
    }
  }

  private touch(place: Place, entry: NewItem | null): void {
    const id = containerKey(place.container);
    let group = this.touched.get(id);
    if (group === undefined) this.touched.set(id, (group = { container: place.container, keys: new Map() }));
    let list = group.keys.get(place.key);
    if (list === undefined) group.keys.set(place.key, (list = []));
    if (entry !== null) list.push(entry);
  }

  /** Deletions: only of map values the document or the update has; never of annotations. */
  private checkDeletions(ds: DeleteSet, byClient: Map<number, NewItem[]>): void {
    for (const [client, ranges] of ds.clients) {
      const state = Y.getState(this.doc.store, client);
      for (const { clock, len } of ranges) {
        const end = clock + len;
        if (!Number.isSafeInteger(end) || len < 1) throw new Refusal('malformed deletion');
        for (let at = clock; at < end;) {
          if (at < state) {
            const struct = storedStructAt(this.doc, client, at);
            if (struct === undefined) throw new Refusal('malformed deletion');
            if (struct instanceof Y.Item && !struct.deleted) this.checkStoredDeletion(struct);
            at = struct.id.clock + struct.length;
          } else {
            const entry = locate(this.doc, byClient, Y.createID(client, at));
            at = entry.kind === 'new' ? entry.entry.clock + entry.entry.length : end;
          }
        }
      }
    }
  }

  private checkStoredDeletion(item: Y.Item): void {
    const place = this.storedPlace(item);
    if (place.container.kind === 'annotations') {
      throw new Refusal('annotations cannot be deleted; set their deleted flag');
    }
    this.checkRight(place);
    this.touch(place, null);
  }

  /** Every touched key ends with a live value; every touched annotation is valid afterwards. */
  private checkOutcome(): void {
    for (const { container, keys } of this.touched.values()) {
      if (container.kind === 'verifications') {
        const map = verificationsOf(this.doc);
        for (const [key, fresh] of keys) {
          const winner = winnerOf(mapKeyItem(map, key), fresh, this.deletes, this.budget);
          if (!winner.live) throw new Refusal(`${describe({ container, key })} would be removed`);
        }
        this.checkVerifiedAnnotations(keys.keys());
      } else if (container.kind === 'annotation') this.checkEditedAnnotation(container.id, keys);
    }
  }

  /** An annotation's edits: each touched field keeps a value, stamped, and the result is valid. */
  private checkEditedAnnotation(id: string, keys: Map<string, NewItem[]>): void {
    const createdNow = this.created.get(id);
    const current = createdNow ?? readRecord(this.doc, id);
    if (current === null) throw new Refusal(`edits of unknown annotation ${id}`);
    const record = { ...current };
    const edits = editsOf(this.doc);
    for (const [key, fresh] of keys) {
      const stored = mapKeyItem(edits, editKey(id, key as AnnotationField));
      const winner = winnerOf(stored, fresh, this.deletes, this.budget);
      if (!winner.live)
        throw new Refusal(`${describe({ container: { kind: 'annotation', id }, key })} would be removed`);
      record[key] = winner.value;
    }
    const isNew = createdNow !== undefined;
    const writes = (key: string) =>
      (keys.get(key) ?? []).some(({ item }) => item.content instanceof Y.ContentAny);
    // A stamp that already lost to another client's stamp arrives as deleted content: it counts.
    const stamped = (keys.get('edited') ?? []).length > 0;
    if (!isNew && [...keys.keys()].some(writes) && !stamped) {
      throw new Refusal(`annotation ${id}: changes must carry an edit stamp`);
    }
    const allowRetiredType = !isNew && !writes('type');
    const problem = annotationProblem(record, this.options.types, { allowRetiredType });
    if (problem !== null) throw new Refusal(`annotation ${id}: ${problem}`);
  }

  private checkVerifiedAnnotations(keys: Iterable<string>): void {
    for (const key of keys) {
      const annotation = parseVerificationKey(key)?.annotation ?? '';
      if (!annotationsOf(this.doc).has(annotation) && !this.created.has(annotation)) {
        throw new Refusal(`verification of unknown annotation ${annotation}`);
      }
    }
  }
}

/**
 * A new annotation's record as created: the JSON text of an object (what `createAnnotation` writes),
 * or the object itself (what clients wrote before session 4, 2026-11-27).
 */
function createdValue(value: unknown, key: string): unknown {
  if (typeof value !== 'string') return value;
  if (value.length > MAX_VALUE_BYTES)
    throw new Refusal(`annotation ${key}: larger than ${MAX_VALUE_BYTES} bytes`);
  const record = recordFromText(value);
  if (record === null) throw new Refusal(`annotation ${key}: the record is not the JSON text of an object`);
  return record;
}

function sub(item: Y.Item): string {
  if (item.parentSub === null) throw new Refusal('list insertions are not part of the annotation layout');
  return item.parentSub;
}

/** The place of an entry of a top-level map; edits keys name their annotation and field. */
function rootPlace(root: string, key: string): Place {
  if (root === ANNOTATIONS) return { container: { kind: 'annotations' }, key };
  if (root === VERIFICATIONS) return { container: { kind: 'verifications' }, key };
  if (root !== EDITS) throw new Refusal(`unknown top-level entry "${root}"`);
  if (key.endsWith('/created')) throw new Refusal(`${key}: the creation stamp never changes`);
  const parsed = parseEditKey(key);
  if (parsed === null) throw new Refusal(`"${key}" is not an edit key (<annotation id>/<field>)`);
  return { container: { kind: 'annotation', id: parsed.annotation }, key: parsed.field };
}

function contentName(content: Content): string {
  if (content instanceof Y.ContentType) return content.type.constructor.name.replace(/^Y/, 'Y.');
  return content.constructor.name;
}

function describe({ container, key }: Place): string {
  if (container.kind === 'annotation') return `field ${key} of annotation ${container.id}`;
  if (container.kind === 'verifications') return `verification ${key}`;
  return `annotation ${key}`;
}
