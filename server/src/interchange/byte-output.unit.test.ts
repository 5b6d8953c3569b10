import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteOutput } from './byte-output.js';

/** What `write` puts out, as text, handed on in chunks as big outputs are. */
function written(write: (out: ByteOutput) => void): string {
  const chunks: Buffer[] = [];
  const out = new ByteOutput((chunk) => chunks.push(Buffer.from(chunk)));
  write(out);
  out.flush();
  return Buffer.concat(chunks).toString('utf8');
}

describe('ByteOutput', () => {
  it('prints every number as JavaScript prints it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger(), fc.maxSafeNat()), (n) => {
        expect(
          written((out) => {
            out.number(n);
          }),
        ).toBe(`${n}`);
      }),
      { numRuns: 5_000 },
    );
    for (const n of [0, -0, 9, 10, -10, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, NaN])
      expect(
        written((out) => {
          out.number(n);
        }),
      ).toBe(`${n}`);
  });

  it('writes any text as UTF-8 and UUIDs as their text, across chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40_000 }), { maxLength: 60 }),
        (texts) => {
          expect(
            written((out) => {
              texts.forEach((t) => {
                out.text(t);
              });
            }),
          ).toBe(texts.join(''));
        },
      ),
      { numRuns: 50 },
    );
    const id = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(
      written((out) => {
        out.uuid(id, 0);
      }),
    ).toBe('00112233-4455-6677-8899-aabbccddeeff');
  });
});
