import * as decoding from 'lib0/decoding';

/*
 * A forward reader over a Yjs update's bytes (v1 encoding) that skips structs without decoding
 * their contents: what `state-vector.ts` and `state-delta.ts` read updates with. Integers are read
 * with lib0's decoder (Yjs's own); anything the reader does not know, or bytes that end early,
 * throw `UnknownEncoding`, and the callers fall back to Yjs itself.
 */

/** What the reader does not know (then Yjs reads the update). */
export class UnknownEncoding extends Error {}

/**
 * A forward reader over the update's bytes (lib0's variable-length encoding): lib0's decoder itself,
 * so `pos` and `arr` are plain fields on the hot path.
 */
export class Reader extends decoding.Decoder {
  byte(): number {
    if (this.pos >= this.arr.length) throw new UnknownEncoding('unexpected end');
    return decoding.readUint8(this);
  }

  varUint(): number {
    try {
      return decoding.readVarUint(this);
    } catch (error) {
      // lib0 throws on a varint cut off by the end or one past 2^53.
      throw new UnknownEncoding(`varuint (${error instanceof Error ? error.message : 'unreadable'})`);
    }
  }

  /** An item id (client, clock). */
  id(): void {
    this.varUint();
    this.varUint();
  }

  /** lib0's signed varint (sign in the first byte's 0x40 bit). */
  varInt(): void {
    if (this.pos >= this.arr.length) throw new UnknownEncoding('unexpected end');
    try {
      decoding.readVarInt(this);
    } catch (error) {
      throw new UnknownEncoding(`varint (${error instanceof Error ? error.message : 'unreadable'})`);
    }
  }

  skip(n: number): void {
    if (this.pos + n > this.arr.length) throw new UnknownEncoding('unexpected end');
    this.pos += n;
  }

  /**
   * Skips a string and answers its length in UTF-16 code units (what Yjs counts), from its UTF-8
   * bytes: every byte but a continuation byte starts a code point, four-byte ones are two units.
   */
  string(): number {
    const n = this.varUint();
    if (this.pos + n > this.arr.length) throw new UnknownEncoding('unexpected end');
    let units = 0;
    for (let i = this.pos; i < this.pos + n; i++) {
      const b = this.arr[i] as number;
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    this.pos += n;
    return units;
  }

  /** Skips one value of lib0's `writeAny` (type bytes from lib0/encoding.js `writeAny`). */
  any(): void {
    const type = this.byte();
    switch (type) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return;
      case 125: // integer
        this.varInt();
        return;
      case 124: // float32
        this.skip(4);
        return;
      case 123: // float64
      case 122: // bigint64
        this.skip(8);
        return;
      case 119: // string
        this.string();
        return;
      case 118: {
        // object: a count of key/value pairs
        const n = this.varUint();
        for (let i = 0; i < n; i++) {
          this.string();
          this.any();
        }
        return;
      }
      case 117: {
        // array: a count of values
        const n = this.varUint();
        for (let i = 0; i < n; i++) this.any();
        return;
      }
      case 116: // Uint8Array
        this.skip(this.varUint());
        return;
      default:
        throw new UnknownEncoding(`any type ${type}`);
    }
  }
}

/** The length (in clock ticks) of the item content with this ref, its bytes skipped. */
function contentLength(r: Reader, ref: number): number {
  switch (ref) {
    case 1: // Deleted
      return r.varUint();
    case 2: {
      // JSON: a count of strings
      const n = r.varUint();
      for (let i = 0; i < n; i++) r.string();
      return n;
    }
    case 3: // Binary
      r.skip(r.varUint());
      return 1;
    case 4: // String
      return r.string();
    case 5: // Embed
      r.string();
      return 1;
    case 6: // Format
      r.string();
      r.string();
      return 1;
    case 7: {
      // Type: XmlElement (3) and XmlHook (5) carry a name
      const typeRef = r.varUint();
      if (typeRef === 3 || typeRef === 5) r.string();
      return 1;
    }
    case 8: {
      // Any: a count of values
      const n = r.varUint();
      for (let i = 0; i < n; i++) r.any();
      return n;
    }
    case 9: // Doc: guid and options
      r.string();
      r.any();
      return 1;
    default:
      throw new UnknownEncoding(`content ref ${ref}`);
  }
}

/**
 * Skips one struct whose info byte was just read and answers its length in clock ticks; `ref` 0 is a
 * GC, 10 a Skip (a gap), anything else an item.
 */
export function skipStruct(r: Reader, info: number): number {
  const ref = info & 0x1f;
  if (ref === 0 || ref === 10) return r.varUint();
  if (info & 0x80) r.id(); // origin
  if (info & 0x40) r.id(); // right origin
  if ((info & 0xc0) === 0) {
    // No origins: the parent is named (a root type) or given by id, then maybe a key.
    if (r.varUint() === 1) r.string();
    else r.id();
    if (info & 0x20) r.string();
  }
  return contentLength(r, ref);
}

/** A struct ref: a Skip (a gap in a client's clocks). */
export const SKIP_REF = 10;
