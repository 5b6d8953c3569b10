import * as Y from 'yjs';
import { Refusal, type NewItem } from './update-structs.js';

/*
 * Which value a Y.Map key holds after an update, computed without applying it. A key's history is
 * a list of items (rightmost = current value, all others deleted); new items are placed by YATA's
 * rules, ported from yjs 13.6 `Item.integrate` (src/structs/Item.js) for the map case, one clock
 * unit at a time so that merged or split items behave alike.
 */

interface Unit {
  client: number;
  clock: number;
  origin: Y.ID | null;
  rightOrigin: Y.ID | null;
  live: boolean;
  value: unknown;
  /** The unit to the right in the key's list, once placed. */
  right?: Unit | null;
}

/** The value a key ends up with: `live` false means the key would be removed. */
export interface Winner {
  live: boolean;
  value: unknown;
  isNew: boolean;
}

const keyOf = (client: number, clock: number) => `${client}:${clock}`;

/**
 * Work allowed for one update, shared by all its keys: clock units expanded and YATA scan steps.
 * A hostile update (long deleted runs, thousands of concurrent siblings) is refused, not computed.
 */
export class Budget {
  constructor(public left = 100_000) {}

  spend(amount: number): void {
    this.left -= amount;
    if (this.left < 0) throw new Refusal('too much work for one update (too many entries for one key)');
  }
}

function unitsOf(
  item: Y.Item,
  origin: Y.ID | null,
  isDeleted: (id: Y.ID) => boolean,
  budget: Budget,
): Unit[] {
  budget.spend(item.length);
  const content = item.content;
  const values = content instanceof Y.ContentAny ? content.arr : null;
  const units: Unit[] = [];
  for (let i = 0; i < item.length; i++) {
    const clock = item.id.clock + i;
    units.push({
      client: item.id.client,
      clock,
      origin: i === 0 ? origin : Y.createID(item.id.client, clock - 1),
      rightOrigin: item.rightOrigin,
      live: values !== null && !item.deleted && !isDeleted(Y.createID(item.id.client, clock)),
      value: values?.[i],
    });
  }
  return units;
}

/** The stored items of a key, oldest first, back to the oldest one a new item refers to. */
function storedUnits(
  stored: Y.Item | undefined,
  fresh: NewItem[],
  isDeleted: (id: Y.ID) => boolean,
  budget: Budget,
): Unit[] {
  const wanted = new Set(
    fresh.flatMap(({ item }) => (item.origin === null ? [] : [keyOf(item.origin.client, item.origin.clock)])),
  );
  const fromStart = fresh.some(({ item }) => item.origin === null);
  const items: Y.Item[] = [];
  for (let item: Y.Item | null = stored ?? null; item !== null; item = item.left) {
    items.push(item);
    for (let clock = item.id.clock; clock < item.id.clock + item.length; clock++) {
      wanted.delete(keyOf(item.id.client, clock));
    }
    if (wanted.size === 0 && !fromStart) break;
  }
  return items.reverse().flatMap((item) => unitsOf(item, item.origin, isDeleted, budget));
}

/** A key's units as a doubly linked list, with an index by ID (as the store gives Yjs). */
class Chain {
  private readonly index = new Map<number, Map<number, Unit>>();
  first: Unit | null = null;
  last: Unit | null = null;

  constructor(
    units: Unit[],
    readonly budget: Budget,
  ) {
    for (const unit of units) this.insertAfter(this.last, unit);
  }

  find(id: Y.ID | null): Unit | undefined {
    return id === null ? undefined : this.index.get(id.client)?.get(id.clock);
  }

  next(unit: Unit | null): Unit | null {
    return unit === null ? this.first : (unit.right ?? null);
  }

  insertAfter(left: Unit | null, unit: Unit): void {
    unit.right = this.next(left);
    if (left === null) this.first = unit;
    else left.right = unit;
    if (unit.right === null) this.last = unit;
    let clocks = this.index.get(unit.client);
    if (clocks === undefined) this.index.set(unit.client, (clocks = new Map<number, Unit>()));
    clocks.set(unit.clock, unit);
  }
}

/** Places `unit` as YATA does (map items: no right origin, scan from the origin rightwards). */
function integrate(chain: Chain, unit: Unit): void {
  const originUnit = chain.find(unit.origin);
  if (unit.origin !== null && originUnit === undefined) throw new Refusal('refers to an unknown map entry');
  let left = originUnit ?? null;
  const before = new Set<Unit>();
  const conflicting = new Set<Unit>();
  for (let o = chain.next(left); o !== null; o = chain.next(o)) {
    chain.budget.spend(1);
    before.add(o);
    conflicting.add(o);
    const oOrigin = chain.find(o.origin);
    if (sameId(unit.origin, o.origin)) {
      if (o.client < unit.client) {
        left = o;
        conflicting.clear();
      } else if (sameId(unit.rightOrigin, o.rightOrigin)) break;
    } else if (oOrigin !== undefined && before.has(oOrigin)) {
      if (!conflicting.has(oOrigin)) {
        left = o;
        conflicting.clear();
      }
    } else break;
  }
  chain.insertAfter(left, unit);
}

function sameId(a: Y.ID | null, b: Y.ID | null): boolean {
  return a === b || (a !== null && b !== null && a.client === b.client && a.clock === b.clock);
}

/**
 * The value one map key holds after the update's new items for it (`fresh`, in integration order)
 * are placed after the stored items (`stored` = the key's current item) and the update's deletions
 * (`isDeleted`) are applied. Spends from `budget`; refuses (throws a Refusal) when it runs out.
 */
export function winnerOf(
  stored: Y.Item | undefined,
  fresh: NewItem[],
  isDeleted: (id: Y.ID) => boolean,
  budget: Budget,
): Winner {
  const chain = new Chain(storedUnits(stored, fresh, isDeleted, budget), budget);
  const newUnits = new Set<Unit>();
  for (const { item } of fresh) {
    for (const unit of unitsOf(item, item.origin, isDeleted, budget)) {
      integrate(chain, unit);
      newUnits.add(unit);
    }
  }
  const last = chain.last;
  if (last === null) return { live: false, value: undefined, isNew: false };
  return { live: last.live, value: last.value, isNew: newUnits.has(last) };
}
