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

/** What the output writes into and how it hands a full chunk on (the chunk is not reused after). */
export class ByteOutput {
  private buffer = Buffer.allocUnsafe(CHUNK);
  private at = 0;

  constructor(private readonly sink: (chunk: Buffer) => void) {}

  /** Bytes written and not yet handed on. */
  get pending(): number {
    return this.at;
  }

  /** Hands what is written on to the sink. */
  flush(): void {
    if (this.at === 0) return;
    this.sink(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(CHUNK);
    this.at = 0;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
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
    if (!Number.isSafeInteger(n)) {
      this.ascii(String(n));
      return;
    }
    this.room(17);
    const b = this.buffer;
    let at = this.at;
    let rest = n;
    if (rest < 0) {
      b[at++] = 45;
      rest = -rest;
    }
    let digits = 1;
    for (let m = rest; m >= 10; m = Math.floor(m / 10)) digits++;
    let end = at + digits;
    this.at = end;
    do {
      const digit = rest % 10;
      b[--end] = 48 + digit;
      rest = (rest - digit) / 10;
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
