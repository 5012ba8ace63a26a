import { resumePending } from './pending-work.js';
import type { SellerReviewService } from './seller-review-service.js';
import type { SweepResult } from './sweep-pages.js';
import type { CoreDeps } from './vault-deps.js';

const PAGE = 25;

/**
 * The sweeper's step for seller reviews: work an opening or a closing left undone (the inline
 * run failed, or the process stopped) is resumed, found on the due index, never by a scan.
 */
export class SellerReviewSweep {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'logger'>,
    private readonly reviews: Pick<SellerReviewService, 'reconcile'>,
  ) {}

  async run(): Promise<SweepResult> {
    const pending = await this.deps.stores.parties.listReviewWork(PAGE);
    return resumePending(this.deps, 'seller review work', pending, (p) =>
      this.reviews.reconcile(p.tenantId, p.sellerId),
    );
  }
}
