/**
 * A failure that repeats (a retry loop, a child process that keeps exiting) is logged on its first
 * occurrence and then only at the 10th, 100th, ... with the count, so a terminal is not filled with
 * the same lines; the caller logs once more, with the total, when it stops.
 */
export class RepeatedFailure {
  private count = 0;

  /** Records one occurrence; the count when this one should be logged, else null. */
  occurred(): number | null {
    this.count += 1;
    return Number.isInteger(Math.log10(this.count)) ? this.count : null;
  }

  /** The failure stopped: answers how often it had occurred (0: never) and starts counting afresh. */
  resolved(): number {
    const count = this.count;
    this.count = 0;
    return count;
  }
}
