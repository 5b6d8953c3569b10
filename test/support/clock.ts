/** A clock the test moves by hand, so a time bound is crossed without waiting it out. */
export class ManualClock {
  private ms = 1_000;

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
