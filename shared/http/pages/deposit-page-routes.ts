import type { Context } from 'hono';
import { DepositBudgetExhaustedError, SellerSuspendedError } from '../../domain/errors.js';
import type { Logger } from '../../ports/logger.js';
import type { DepositResult, DepositService } from '../../services/deposit-service.js';
import type { LinkService, OpenedLink } from '../../services/link-service.js';
import type { RateLimits } from '../rate-limit.js';
import { MAX_CARDS_PER_DEPOSIT } from '../routes/deposit-routes.js';
import { type DepositLine, parseDepositLines } from './deposit-lines.js';
import {
  acceptedForm,
  type FormFields,
  field,
  frameOf,
  limitLinkPost,
  openLink,
  type PageModule,
  pageApp,
  sendInvalid,
  sendPage,
  sendPageJson,
  sendRefused,
} from './page-context.js';
import type { PageFrame } from './page-layout.js';
import { depositPage, depositResultView } from './page-views.js';

type DepositLink = Extract<OpenedLink, { kind: 'deposit' }>;

export interface DepositPageDeps {
  readonly links: LinkService;
  readonly deposits: Pick<DepositService, 'deposit'>;
  readonly limits: RateLimits;
  readonly logger: Logger;
}

/** What the API's deposit schema takes; a line outside it is rejected as `format` without a call. */
const isDepositable = ({ code, pin }: DepositLine) =>
  code.length >= 1 && code.length <= 128 && /[^\s-]/.test(code) && (pin === undefined || pin.length <= 32);

/**
 * The deposit page's form (the deposit function in AWS: the only one that may seal codes). The
 * textarea, a CSV file, or both; the same DepositService as `POST /v1/listings/{id}/cards`. With
 * `Accept: application/json` (page.js, in batches) it answers the masked results as JSON.
 */
export function depositPageRoutes(deps: DepositPageDeps): PageModule {
  const app = pageApp(deps.logger);
  app.post('/links/:token/cards', async (c) => {
    const opened = await openLink(c, deps.links, 'deposit');
    if (opened?.kind !== 'deposit') return sendInvalid(c);
    const limited = await limitLinkPost(c, deps.limits, opened, wantsJson(c));
    if (limited) return limited;
    const fields = await acceptedForm(c, opened);
    if (!fields) return sendRefused(c, frameOf(c, opened));
    const frame = frameOf(c, opened, field(fields, 'lang'));
    // The script's batches (JSON) come with the seller's headers already dropped (page.js).
    const header = wantsJson(c) ? 'none' : 'skip';
    const lines = [
      ...parseDepositLines(field(fields, 'codes') ?? '', { header }),
      ...parseDepositLines(await fileText(fields), { header }),
    ];
    if (lines.length === 0) return refuse(c, frame, opened, frame.t.noCodes, 400);
    if (lines.length > MAX_CARDS_PER_DEPOSIT)
      return refuse(c, frame, opened, frame.t.tooMany(MAX_CARDS_PER_DEPOSIT), 400);
    let results: DepositResult[];
    try {
      results = await deposit(deps.deposits, opened, lines);
    } catch (error) {
      if (error instanceof SellerSuspendedError)
        return refuse(c, frame, opened, frame.t.sellerSuspended, 409);
      if (error instanceof DepositBudgetExhaustedError) return locked(c, frame, opened, error);
      throw error;
    }
    if (wantsJson(c)) {
      const offset = Number(field(fields, 'offset') ?? 0);
      const start = Number.isSafeInteger(offset) && offset >= 0 ? offset : 0;
      return sendPageJson(c, frame, { results: results.map((r) => depositResultView(frame.t, r, start)) });
    }
    return sendPage(c, frame, depositPage(frame, opened, { results }));
  });
  return app;
}

/** The service gets only the lines the API would take; the others are `format` in place. */
async function deposit(
  deposits: DepositPageDeps['deposits'],
  { link }: DepositLink,
  lines: readonly DepositLine[],
): Promise<DepositResult[]> {
  const sent = lines.flatMap((line, index) => (isDepositable(line) ? [{ line, index }] : []));
  const answered =
    sent.length === 0
      ? []
      : await deposits.deposit(
          link.tenantId,
          link.subjectId,
          sent.map(({ line }) => line),
        );
  const byLine = new Map(answered.map((r) => [sent[r.index]?.index, r]));
  return lines.map((_, index): DepositResult => {
    const result = byLine.get(index);
    return result ? { ...result, index } : { index, outcome: 'rejected', last4: '', reason: 'format' };
  });
}

function refuse(c: Context, frame: PageFrame, opened: DepositLink, error: string, status: 400 | 409) {
  if (wantsJson(c)) return sendPageJson(c, frame, { error }, status);
  return sendPage(c, frame, depositPage(frame, opened, { error }), status);
}

/** The seller is over the budget of rejected codes: nothing was sent to the issuer, the page says until when. */
function locked(c: Context, frame: PageFrame, opened: DepositLink, error: DepositBudgetExhaustedError) {
  const lockedUntil = error.details.lockedUntil;
  const lock = {
    ...(typeof lockedUntil === 'string' ? { lockedUntil } : {}),
    operatorUnlockRequired: error.details.operatorUnlockRequired === true,
  };
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  const page = depositPage(frame, opened, { locked: lock });
  if (wantsJson(c)) {
    const text =
      lock.operatorUnlockRequired || !lock.lockedUntil
        ? frame.t.lockedByOperator
        : frame.t.lockedUntil(lock.lockedUntil.slice(0, 16).replace('T', ' '));
    return sendPageJson(c, frame, { error: text, locked: true }, 429);
  }
  return sendPage(c, frame, page, 429);
}

const wantsJson = (c: Context) => (c.req.header('accept') ?? '').includes('application/json');

async function fileText(fields: FormFields): Promise<string> {
  const file = fields.file;
  return file instanceof File ? await file.text() : '';
}
