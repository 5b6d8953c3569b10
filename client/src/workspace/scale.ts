// The scale bar's length: a round number of microns (1, 2 or 5 times a power of ten) close to a
// wanted width on screen.

/** A round length near `wantedPixels` on screen, given microns per screen pixel. */
export function scaleBarLength(
  micronsPerPixel: number,
  wantedPixels: number,
): { pixels: number; text: string } {
  const wanted = micronsPerPixel * wantedPixels;
  const power = 10 ** Math.floor(Math.log10(wanted));
  const step = [5, 2, 1].find((m) => m * power <= wanted) ?? 1;
  const microns = step * power;
  const round = (n: number) => Number(n.toPrecision(3));
  const text =
    microns >= 1000
      ? `${round(microns / 1000)} mm`
      : microns >= 1
        ? `${round(microns)} µm`
        : `${round(microns * 1000)} nm`;
  return { pixels: microns / micronsPerPixel, text };
}
