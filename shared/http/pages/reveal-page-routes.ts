import type { Context } from 'hono';
import { AlreadyReportedError, DisputeWindowClosedError, DomainError } from '../../domain/errors.js';
import type { Logger } from '../../ports/logger.js';
import type { LinkService, OpenedLink } from '../../services/link-service.js';
import type { ReportService } from '../../services/report-service.js';
import type { RevealService } from '../../services/reveal-service.js';
import { type ProblemType, problemTypes } from '../problem-types.js';
import type { RateLimits } from '../rate-limit.js';
import { requestOrigin } from '../request-origin.js';
import {
  acceptedForm,
  field,
  frameOf,
  limitLinkPost,
  openLink,
  type PageModule,
  pageApp,
  sendInvalid,
  sendPage,
  sendRefused,
  setRevealCookie,
} from './page-context.js';
import type { PageFrame } from './page-layout.js';
import { revealedPage, revealPage } from './page-views.js';

type RevealLink = Extract<OpenedLink, { kind: 'reveal' }>;

export interface RevealPageDeps {
  readonly links: LinkService;
  readonly reveals: Pick<RevealService, 'reveal'>;
  readonly reports: Pick<ReportService, 'report'>;
  readonly limits: RateLimits;
  readonly logger: Logger;
}

/**
 * The reveal page's two forms (the reveal function in AWS: the only one that may decrypt). Both
 * go through the same services as the API, for the link's buyer; a refusal the API would answer
 * as a problem is drawn as the page of the order's state (revealed, refunded, not paid).
 */
export function revealPageRoutes(deps: RevealPageDeps): PageModule {
  const app = pageApp(deps.logger);

  app.post('/links/:token/reveal', async (c) => {
    const opened = await openLink(c, deps.links, 'reveal');
    if (opened?.kind !== 'reveal') return sendInvalid(c);
    const limited = await limitLinkPost(c, deps.limits, opened);
    if (limited) return limited;
    const fields = await acceptedForm(c, opened);
    if (!fields) return sendRefused(c, frameOf(c, opened));
    const frame = frameOf(c, opened, field(fields, 'lang'));
    const { link } = opened;
    // A PIN link reveals (or shows again) only with its PIN: a scanner's press opens nothing.
    const pin = await deps.links.checkPin(opened, field(fields, 'pin'));
    if (pin.kind !== 'open') {
      return sendPage(c, frame, revealPage(frame, await reopened(c, deps.links, opened), undefined, pin));
    }
    try {
      // The link's own key: a press again after a lost answer gets the code again within
      // REVEAL_RETRY_SECONDS (an `order.redelivered` line), as an API client's retry does, at most
      // LINK_REDELIVERIES times (then `redeliveries-exhausted`, drawn as the revealed page saying
      // so); any other key (the API's, another link's) is `already-revealed`. The trail names this page.
      const revelation = await deps.reveals.reveal(
        link.tenantId,
        link.subjectId,
        link.partyId,
        await deps.links.revealKey(link),
        {
          channel: 'hosted_page',
          linkId: link.linkId,
          ...(showsAgain(opened) ? {} : { otherBrowser: true }),
          buyerContext: requestOrigin(c),
        },
      );
      // The revealing browser's pass to "show the code again" (a PIN link asks for its PIN instead).
      if (link.confirm !== 'pin')
        setRevealCookie(c, await deps.links.revealCookieFor(link, revelation.revealedAt));
      c.header('Pragma', 'no-cache');
      const again = {
        until: deps.links.revealAgainUntil(revelation.revealedAt),
        left: await deps.links.redeliveriesLeft(link),
      };
      return sendPage(c, frame, revealedPage(frame, opened, revelation, again));
    } catch (error) {
      return stateAfterRefusal(c, error, deps.links, frame);
    }
  });

  app.post('/links/:token/report', async (c) => {
    const opened = await openLink(c, deps.links, 'reveal');
    if (opened?.kind !== 'reveal') return sendInvalid(c);
    const limited = await limitLinkPost(c, deps.limits, opened);
    if (limited) return limited;
    const fields = await acceptedForm(c, opened);
    if (!fields) return sendRefused(c, frameOf(c, opened));
    const frame = frameOf(c, opened, field(fields, 'lang'));
    const cardId = field(fields, 'cardId');
    const { link, order } = opened;
    // Only a card of this order: the select offers no other, so anything else is not this page's.
    if (!order.cards.some((card) => card.cardId === cardId) || cardId === undefined) {
      return sendRefused(c, frame);
    }
    let notice: string;
    try {
      const report = await deps.reports.report(link.tenantId, link.subjectId, {
        buyerId: link.partyId,
        cardId,
        reason: 'already_redeemed',
      });
      notice = frame.t.decisions[report.decision];
    } catch (error) {
      if (error instanceof AlreadyReportedError) notice = frame.t.alreadyReported;
      else if (error instanceof DisputeWindowClosedError) notice = frame.t.windowClosed;
      else return stateAfterRefusal(c, error, deps.links, frame);
    }
    return sendPage(c, frame, revealPage(frame, await reopened(c, deps.links, opened), notice));
  });

  return app;
}

/** May this browser have the code again: it revealed here (its cookie), or the link has a PIN (checked). */
const showsAgain = (opened: RevealLink) =>
  opened.link.confirm === 'pin' || opened.revealAgainUntil !== undefined || opened.redeliveriesSpent === true;

/** A refusal (already revealed, refunded, not paid...) shows the order as it now is; a fault is a fault. */
async function stateAfterRefusal(c: Context, error: unknown, links: LinkService, frame: PageFrame) {
  if (!(error instanceof DomainError) || isFault(error)) throw error;
  const opened = await openLink(c, links, 'reveal');
  if (opened?.kind !== 'reveal') return sendInvalid(c);
  return sendPage(c, frame, revealPage(frame, opened));
}

/** What the error page is for: the vault could not answer (retry), not a refusal of this order. */
const isFault = (error: DomainError) =>
  (problemTypes[error.code] as ProblemType).status >= 500 || error.code === 'concurrent-update';

async function reopened(c: Context, links: LinkService, before: RevealLink): Promise<RevealLink> {
  const opened = await openLink(c, links, 'reveal');
  return opened?.kind === 'reveal' ? opened : before;
}
