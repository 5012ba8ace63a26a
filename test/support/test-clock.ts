import type { Clock } from '../../shared/ports/clock.js';

/** A clock tests move by hand: expiry and dispute windows without waiting. Starts at real time. */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
