import type { Clock } from '../../shared/ports/clock.js';

/** A clock tests move by hand: expiry and dispute windows without waiting. Starts at real time. */
export class TestClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  now(): Date {
    return new Date((this.frozenAt ?? Date.now()) + this.offsetMs);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /**
   * Stops the clock where it is (`advance` still moves it) until `resume`, so a lifetime the
   * vault computed reads back as exactly what was asked, however long the request took.
   */
  freeze(): void {
    this.frozenAt ??= Date.now();
  }

  /** Back to real time (plus what `advance` added): the clock jumps over the frozen span, never back. */
  resume(): void {
    this.frozenAt = undefined;
  }
}
