import { admit, type DepositBudget, emptyBudget, expiredSlots, lockDue } from '../domain/deposit-budget.js';
import { ConcurrentUpdateError, DepositBudgetExhaustedError } from '../domain/errors.js';
import type { DepositDeps } from './vault-deps.js';

/**
 * While every slot is held, the gate waits for one to come back: at once when one of its own
 * checks ends (`settle` wakes it), else reading the budget again after a pause that doubles from
 * FIRST_WAIT_MS to MAX_WAIT_MS (other requests' checks end unseen).
 */
const FIRST_WAIT_MS = 25;
const MAX_WAIT_MS = 400;
/** Lost races on the budget item before a deposit gives up (each re-reads it). */
const MAX_LOST_RACES = 50;

type GateDeps = Pick<DepositDeps, 'stores' | 'clock' | 'ids' | 'logger' | 'metrics' | 'settings'>;

/**
 * What `take` gives a check: a slot to hold while the issuer is asked; `spent`, the budget has no
 * slot left for this request (the code is not checked); or `out_of_time`, slots are all held by
 * checks still running and the request's time to start checks ran out (the code is `pending`,
 * as any check past the deadline).
 */
export type Slot = { readonly holdId: string } | 'spent' | 'out_of_time';

/**
 * One deposit request's door to the issuer (issue 19): every check takes a slot of the seller's
 * budget first, conditional on the budget item's version, so parallel requests (API, links, other
 * Lambda containers) cannot pass more checks than the budget has slots. Checks waiting at once
 * take their slots in one write. Once a slot cannot be had, no further code of the request is
 * sent to the issuer.
 */
export class DepositBudgetGate {
  private waiting: Array<{ resolve: (slot: Slot) => void; reject: (e: unknown) => void }> = [];
  private pumping = false;
  private closed: 'spent' | 'out_of_time' | undefined;
  /** Ends the pump's current wait early: one of this gate's own slots came back. */
  private wake: (() => void) | undefined;
  /**
   * The budget as this gate last read or wrote it. Taking from it is safe (the write is conditional
   * on its version); a refusal is only decided on a fresh read, as others may have given slots back.
   */
  private known: DepositBudget | undefined;

  constructor(
    private readonly deps: GateDeps,
    private readonly tenantId: string,
    private readonly sellerId: string,
    /** Past this (ms since the epoch) no slot is waited for any longer. */
    private readonly waitUntil: number,
  ) {}

  /** Throws `DepositBudgetExhaustedError` when the seller is locked: nothing of the request is checked. */
  async open(): Promise<void> {
    const budget = await this.read();
    const admission = admit(budget, this.deps.clock.now(), this.deps.settings.depositRejectBudget, 1);
    if (admission.kind === 'exhausted') throw DepositBudgetExhaustedError.of(admission.lock);
    this.known = budget;
  }

  /** A slot for one issuer check, or why the issuer is not to be asked. */
  take(): Promise<Slot> {
    if (this.closed) return Promise.resolve(this.closed);
    const taken = new Promise<Slot>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (!this.pumping) void this.pump();
    return taken;
  }

  /** The check ended: a rejection keeps its slot for the hour (and may lock the seller); anything else gives it back. */
  async settle(holdId: string, rejected: boolean): Promise<void> {
    const { depositBudgets } = this.deps.stores;
    if (!rejected) {
      await depositBudgets.release(this.tenantId, this.sellerId, [holdId]);
      this.wake?.();
      return;
    }
    const now = this.deps.clock.now();
    const after = await depositBudgets.reject(this.tenantId, this.sellerId, [holdId], now.toISOString());
    const due = lockDue(after, now, this.deps.settings.depositRejectBudget);
    if (!due) return;
    const locked = await depositBudgets.lock({
      tenantId: this.tenantId,
      sellerId: this.sellerId,
      lockedUntil: due.lockedUntil,
      lockTimes: due.lockTimes,
      operator: due.operator,
      event: {
        eventId: this.deps.ids.next('evt', now),
        sellerId: this.sellerId,
        type: 'seller.deposits_locked',
        by: 'vault',
        at: now.toISOString(),
        data: {
          ...(due.operator ? { operatorUnlockRequired: true } : { lockedUntil: due.lockedUntil }),
          budget: this.deps.settings.depositRejectBudget,
          locksInSevenDays: due.lockTimes.length,
        },
      },
    });
    if (!locked) return;
    this.deps.metrics.count({ name: 'DepositLocks' });
    this.deps.logger.warn(
      { tenantId: this.tenantId, sellerId: this.sellerId, operator: due.operator },
      "seller's deposits locked: budget of rejected codes spent",
    );
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      let lost = 0;
      let pause = FIRST_WAIT_MS;
      while (this.waiting.length > 0) {
        const now = this.deps.clock.now();
        const { settings } = this.deps;
        let budget = this.known ?? (await this.read());
        let admission = admit(budget, now, settings.depositRejectBudget, this.waiting.length);
        if (admission.kind !== 'granted' && this.known) {
          budget = await this.read();
          admission = admit(budget, now, settings.depositRejectBudget, this.waiting.length);
        }
        this.known = undefined;
        if (admission.kind === 'exhausted') return this.closeWith('spent');
        if (admission.kind === 'wait') {
          if (Date.now() >= this.waitUntil) return this.closeWith('out_of_time');
          await this.pauseFor(Math.min(pause, this.waitUntil - Date.now()));
          pause = Math.min(pause * 2, MAX_WAIT_MS);
          continue;
        }
        pause = FIRST_WAIT_MS;
        const ids = Array.from({ length: admission.count }, () => this.deps.ids.next('hld', now));
        const holds = Object.fromEntries(ids.map((id) => [id, now.toISOString()]));
        const won = await this.deps.stores.depositBudgets.take({
          tenantId: this.tenantId,
          sellerId: this.sellerId,
          version: budget.version,
          holds,
          drop: expiredSlots(budget, now),
        });
        if (won) this.known = { ...budget, held: { ...budget.held, ...holds }, version: budget.version + 1 };
        if (!won) {
          lost += 1;
          if (lost > MAX_LOST_RACES)
            throw new ConcurrentUpdateError("the seller's deposit budget is contended");
          await new Promise((r) => setTimeout(r, Math.random() * FIRST_WAIT_MS));
          continue;
        }
        for (const holdId of ids) this.waiting.shift()?.resolve({ holdId });
      }
    } catch (error) {
      // The checks waiting are not sent; the error is the request's (503 or 409 concurrent-update).
      const waiting = this.waiting;
      this.waiting = [];
      for (const { reject } of waiting) reject(error);
    } finally {
      this.pumping = false;
    }
  }

  private closeWith(reason: 'spent' | 'out_of_time'): void {
    this.closed = reason;
    const waiting = this.waiting;
    this.waiting = [];
    for (const { resolve } of waiting) resolve(reason);
  }

  /** Sleeps `ms`, or less when one of this gate's own slots comes back meanwhile. */
  private async pauseFor(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      timer = setTimeout(resolve, Math.max(0, ms));
    });
    clearTimeout(timer);
    this.wake = undefined;
  }

  private async read(): Promise<DepositBudget> {
    return (await this.deps.stores.depositBudgets.get(this.tenantId, this.sellerId)) ?? emptyBudget;
  }
}
