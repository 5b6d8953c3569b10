/*
 * An export's text written as bytes into a reused buffer, handed on a chunk at a time: no string per
 * piece, no string per row, no conversion of a row's text to bytes. Numbers print exactly as
 * JavaScript prints them (`${n}`): integers digit by digit, others through String().
 */

const CHUNK = 1 << 20;

/** 2 ASCII hex digits per byte value. */
const HEX = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const digits = i.toString(16).padStart(2, '0');
  HEX[2 * i] = digits.charCodeAt(0);
  HEX[2 * i + 1] = digits.charCodeAt(1);
}

/** Bytes written into 1 MB buffers, handed on as they are flushed (a handed chunk is never written again). */
export class ByteOutput {
  private buffer = Buffer.allocUnsafe(CHUNK);
  /** Where the bytes not yet handed on start, and where the next byte goes. */
  private start = 0;
  private at = 0;

  constructor(private readonly sink: (chunk: Buffer) => void) {}

  /** Bytes written and not yet handed on. */
  get pending(): number {
    return this.at - this.start;
  }

  /** Hands what is written on to the sink; later bytes go after it, never over it. */
  flush(): void {
    if (this.at === this.start) return;
    this.sink(this.buffer.subarray(this.start, this.at));
    this.start = this.at;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    this.flush();
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK, bytes));
    this.start = 0;
    this.at = 0;
  }

  /** Text of ASCII characters only (the format's own punctuation and keys). */
  ascii(text: string): void {
    this.room(text.length);
    const b = this.buffer;
    let at = this.at;
    for (let i = 0; i < text.length; i++) b[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    this.room(Buffer.byteLength(text));
    this.at += this.buffer.write(text, this.at, 'utf8');
  }

  /** A number as `${n}` prints it. */
  number(n: number): void {
    if ((n | 0) !== n) {
      this.ascii(String(n));
      return;
    }
    // A 32-bit integer (coordinates, ids, counts: nearly every number of an export), digit by digit.
    this.room(11);
    const b = this.buffer;
    let at = this.at;
    let rest = n;
    if (rest < 0) {
      b[at++] = 45;
      rest = -rest;
    }
    const digits =
      rest < 10
        ? 1
        : rest < 100
          ? 2
          : rest < 1e3
            ? 3
            : rest < 1e4
              ? 4
              : rest < 1e5
                ? 5
                : rest < 1e6
                  ? 6
                  : rest < 1e7
                    ? 7
                    : rest < 1e8
                      ? 8
                      : rest < 1e9
                        ? 9
                        : 10;
    let end = at + digits;
    this.at = end;
    do {
      const quotient = (rest / 10) >>> 0;
      b[--end] = 48 + rest - quotient * 10;
      rest = quotient;
    } while (rest > 0);
  }

  /** Bytes copied as they are. */
  bytes(source: Buffer, start: number, end: number): void {
    this.room(end - start);
    this.at += source.copy(this.buffer, this.at, start, end);
  }

  /** 16 bytes as a UUID's text: 8-4-4-4-12 lowercase hex digits. */
  uuid(source: Buffer, start: number): void {
    this.room(36);
    const b = this.buffer;
    let at = this.at;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) b[at++] = 45;
      const h = (source[start + i] as number) * 2;
      b[at++] = HEX[h] as number;
      b[at++] = HEX[h + 1] as number;
    }
    this.at = at;
  }
}
