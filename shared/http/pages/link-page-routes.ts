import type { Logger } from '../../ports/logger.js';
import type { LinkService } from '../../services/link-service.js';
import type { StandingService } from '../../services/standing-service.js';
import { FAVICON_SVG, PAGE_CSS, PAGE_JS } from './page-assets.js';
import { frameOf, openLink, type PageModule, pageApp, sendInvalid, sendPage } from './page-context.js';
import { depositPage, revealPage } from './page-views.js';

/** Assets hold no secret: cached for an hour, and `nosniff` so they are only ever what they say. */
const asset = (body: string, type: string) =>
  new Response(body, {
    headers: {
      'Content-Type': `${type}; charset=utf-8`,
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    },
  });

/**
 * The link pages' GETs and their assets (the api function in AWS). Opening a page never reveals
 * and never writes anything of its own, so a chat app's link preview burns nothing.
 */
export function linkPageRoutes(deps: {
  links: LinkService;
  standing: Pick<StandingService, 'deposits'>;
  logger: Logger;
}): PageModule {
  const app = pageApp(deps.logger);
  app.get('/links/assets/page.css', () => asset(PAGE_CSS, 'text/css'));
  app.get('/links/assets/page.js', () => asset(PAGE_JS, 'text/javascript'));
  app.get('/links/assets/favicon.svg', () => asset(FAVICON_SVG, 'image/svg+xml'));
  // Browsers ask for /favicon.ico whatever the page links: the same icon, not a 404 in every log.
  app.get('/favicon.ico', () => asset(FAVICON_SVG, 'image/svg+xml'));
  app.get('/links/:token', async (c) => {
    const opened = await openLink(c, deps.links);
    if (!opened) return sendInvalid(c);
    const frame = frameOf(c, opened);
    if (opened.kind === 'reveal') return sendPage(c, frame, revealPage(frame, opened));
    // A seller over the budget of rejected codes gets no form: the page says until when.
    const deposits = await deps.standing.deposits(opened.link.tenantId, opened.listing.sellerId);
    const locked = deposits.locked
      ? {
          locked: {
            ...(deposits.lockedUntil !== undefined ? { lockedUntil: deposits.lockedUntil } : {}),
            operatorUnlockRequired: deposits.operatorUnlockRequired,
          },
        }
      : undefined;
    return sendPage(c, frame, depositPage(frame, opened, locked));
  });
  // Any other page path is a link that opens nothing, drawn the same way (after the routes above).
  app.get('/links/*', (c) => sendInvalid(c));
  return app;
}
