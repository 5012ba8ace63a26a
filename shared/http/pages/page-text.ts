import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { DepositOutcome, DepositReason } from '../../domain/deposit-outcome.js';
import type { ReportDecision } from '../../domain/report-decision.js';

/** The page languages: Chinese (most buyers on the platforms this serves) and English. */
export const pageLangs = ['zh-CN', 'en'] as const;
export type PageLang = (typeof pageLangs)[number];

const isPageLang = (value: unknown): value is PageLang => pageLangs.includes(value as PageLang);

/**
 * `?lang=` (the switch, carried into the forms as a field) wins, else the Accept-Language tag of
 * highest weight the pages speak (any `zh`, any `en`), else English.
 */
export function chooseLang(asked: unknown, acceptLanguage: string | undefined): PageLang {
  if (isPageLang(asked)) return asked;
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q.slice(2)), order };
    })
    .filter((t) => t.tag !== '' && t.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of tags) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** Markup a text may wrap (a `<time>`), the same type as page-layout's `Html`. */
type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const pad = (n: number) => String(n).padStart(2, '0');
/** Times are rendered in UTC, named as such; page.js rewrites them in the reader's zone from `datetime`. */
const clock = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;

const en = {
  product: 'card-vault',
  language: 'Language',
  switchTo: '中文',
  switchLang: 'zh-CN' as PageLang,
  soldBy: (tenant: string) => `Order on ${tenant}`,
  invalidTitle: 'This link cannot be used',
  invalidBody: 'It is unknown, expired or revoked. Ask the marketplace for a new link.',
  orderTitle: 'Your order',
  item: 'Item',
  brand: 'Brand',
  quantity: 'Quantity',
  amount: 'Amount paid',
  // Before the payment has cleared (or on an order that never got one): no "paid" above "not paid".
  amountDue: 'Amount',
  faceValue: 'Face value',
  revealButton: 'Reveal code',
  revealNote:
    'The code is shown once, here, after a last check with the issuer. Have somewhere to write it down.',
  notPaid: 'The payment has not cleared yet. Come back to this link once it has.',
  closed: 'This order is closed: nothing can be revealed.',
  refunded:
    'The code was found already used before you saw it: nothing is shown, and the order is refunded to you.',
  suspendedRefund: 'The seller was suspended: nothing is shown, and the order is refunded to you.',
  revealedAt: 'Revealed at',
  // Said whichever channel revealed it (this link, another, or the marketplace's own app).
  alreadyRevealed: 'The code has been revealed and is not shown here again.',
  yourCode: 'Your code',
  code: 'Code',
  pin: 'PIN',
  copy: 'Copy code',
  copyPin: 'Copy PIN',
  copied: 'Copied',
  hint: (brand: string) =>
    `Redeem it on ${brand}'s official site or app. Keep it secret: nobody from support will ever ask for it.`,
  saveNow: (until: Html) => html`Write it down now: this link shows it again only until ${until}.`,
  revealAgainButton: 'Show the code again',
  revealAgainNote: (until: Html) =>
    html`If the code did not reach you (a lost connection), this link shows it again until ${until}.`,
  // LINK_REDELIVERIES: each press again counts, and a spent link says so instead of its button.
  againLeft: (n: number) =>
    n === 1 ? 'It shows it again once more at most.' : `It shows it again ${n} more times at most.`,
  againSpent: 'Write it down now: this was the last time this link shows it.',
  redeliveriesSpent:
    'This link has shown the code again as many times as it may, and shows it no more. If you still need it, ask the marketplace.',
  // PIN links (issue 20): the PIN comes from the marketplace's own app, never with the link.
  pinLabel: 'PIN (6 digits, shown to you in the marketplace app)',
  pinMissing: 'Enter the PIN the marketplace showed you to reveal the code.',
  pinWrong: (left: number) =>
    left === 1
      ? 'That PIN is wrong. One more wrong PIN locks this link.'
      : `That PIN is wrong. ${left} more wrong PINs lock this link.`,
  pinLocked: 'Too many wrong PINs: this link is locked and reveals nothing. Ask the marketplace for help.',
  time: (iso: string) => {
    const d = new Date(iso);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${clock(d)}`;
  },
  reportTitle: 'The code does not work?',
  reportCard: 'Card',
  reportButton: 'Report it as already redeemed',
  reportNote: 'The vault checks with the issuer and decides; a refund goes back to you.',
  decisions: {
    refunded: 'Report upheld: the card is refunded to you.',
    refunded_unproven: 'Report upheld: the card is refunded to you.',
    rejected: 'Report rejected: the issuer shows the code was redeemed after you saw it, or still works.',
    rejected_unproven: 'Report not upheld: the dispute desk could not confirm it in time.',
    escalated: 'Report sent to the dispute desk: you will hear from the marketplace.',
  } satisfies Record<ReportDecision, string>,
  alreadyReported: 'This card was already reported.',
  windowClosed: 'The time to report this order has passed.',
  refusedTitle: 'Refused',
  refusedBody: 'This form has expired or did not come from this page. Open the link again.',
  errorTitle: 'Something went wrong',
  errorBody: 'Nothing was changed. Try again in a moment.',
  tooManyTitle: 'Too many requests',
  tooManyBody: (seconds: number) =>
    `This link was used too often just now; nothing was done. Try again in ${seconds} s.`,
  depositTitle: 'Deposit codes',
  listing: 'Listing',
  seller: 'Seller',
  listingId: 'Listing id',
  depositWarningTitle: 'Deposit only into your own listing',
  depositWarning: (sellerId: string) =>
    `Codes deposited here are sold by seller ${sellerId}, not by you. If someone sent you this link and asked you to deposit codes so they can pay you, do not: you would give them your codes.`,
  codesLabel: 'Codes, one per line',
  codesHelp:
    'A PIN may follow its code after a tab, a comma or a semicolon. Spaces and dashes inside a code are fine.',
  fileLabel: 'Or a CSV file: code,pin (a header line "code,pin" is skipped)',
  depositButton: 'Deposit',
  results: 'Results',
  progress: 'Checked',
  of: 'of',
  outcomes: {
    accepted: 'accepted',
    rejected: 'rejected',
    pending: 'pending',
    not_checked: 'not checked',
  } satisfies Record<DepositOutcome, string>,
  reasons: {
    already_redeemed: 'already redeemed',
    invalid_code: 'unknown to the issuer',
    duplicate: 'already deposited',
    format: 'not a code of this brand',
    value_mismatch: 'another face value',
    issuer_unavailable: 'the issuer did not answer; it is checked again later',
    deposit_budget_exhausted: 'not sent to the issuer: too many rejected codes this hour',
  } satisfies Record<DepositReason, string>,
  noCodes: 'No codes were given.',
  tooMany: (max: number) => `At most ${max} codes at a time: send the rest separately.`,
  sellerSuspended: 'The seller is suspended: no codes can be deposited.',
  lockedTitle: 'Deposits locked',
  lockedUntil: (at: string) =>
    `Too many codes were rejected by the issuer this hour. No codes are accepted until ${at} (UTC).`,
  lockedByOperator:
    'Too many codes were rejected by the issuer, again and again. No codes are accepted until the marketplace has the vault unlock this seller.',
  summary: (a: number, r: number, p: number) => `${a} accepted, ${r} rejected, ${p} pending`,
};

export type PageText = typeof en;

const zh: PageText = {
  product: 'card-vault 卡密保管',
  language: '语言',
  switchTo: 'English',
  switchLang: 'en',
  soldBy: (tenant: string) => `${tenant} 的订单`,
  invalidTitle: '此链接无法使用',
  invalidBody: '链接无效、已过期或已撤销。请向平台索取新链接。',
  orderTitle: '您的订单',
  item: '商品',
  brand: '品牌',
  quantity: '数量',
  amount: '实付金额',
  amountDue: '应付金额',
  faceValue: '面值',
  revealButton: '查看卡密',
  revealNote: '卡密只在此处显示一次，显示前会最后向发卡方核验一次。请准备好记录。',
  notPaid: '付款尚未到账。到账后请再次打开此链接。',
  closed: '此订单已关闭，无法查看卡密。',
  refunded: '卡密在您查看前已被使用：不予显示，订单款项已退还给您。',
  suspendedRefund: '卖家已被暂停：不予显示，订单款项已退还给您。',
  revealedAt: '查看时间',
  alreadyRevealed: '卡密已被查看，此处不再显示。',
  yourCode: '您的卡密',
  code: '卡密',
  pin: '密码',
  copy: '复制卡密',
  copyPin: '复制密码',
  copied: '已复制',
  hint: (brand: string) => `请在 ${brand} 官方网站或应用中兑换。请勿泄露：客服绝不会向您索要卡密。`,
  saveNow: (until: Html) => html`请立即记下：此链接仅在 ${until} 之前可再次显示。`,
  revealAgainButton: '再次显示卡密',
  revealAgainNote: (until: Html) => html`如果未收到卡密（例如网络中断），此链接在 ${until} 之前可再次显示。`,
  againLeft: (n: number) => `最多还可再次显示 ${n} 次。`,
  againSpent: '请立即记下：这是此链接最后一次显示卡密。',
  redeliveriesSpent: '此链接再次显示卡密的次数已用完，不会再显示。如仍需要，请联系平台。',
  pinLabel: 'PIN 码（6 位数字，在平台应用中向您显示）',
  pinMissing: '请输入平台向您显示的 PIN 码以查看卡密。',
  pinWrong: (left: number) => `PIN 码错误。再输错 ${left} 次，此链接将被锁定。`,
  pinLocked: 'PIN 码错误次数过多：此链接已锁定，不会再显示卡密。请联系平台。',
  time: (iso: string) => {
    const d = new Date(iso);
    return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${clock(d)}`;
  },
  reportTitle: '卡密无法使用？',
  reportCard: '卡',
  reportButton: '举报为已被兑换',
  reportNote: '系统将向发卡方核验并作出处理；退款将退还给您。',
  decisions: {
    refunded: '举报成立：此卡款项已退还给您。',
    refunded_unproven: '举报成立：此卡款项已退还给您。',
    rejected: '举报未成立：发卡方显示卡密在您查看后才被兑换，或仍可使用。',
    rejected_unproven: '举报未获支持：争议处理未能在期限内确认。',
    escalated: '举报已转交争议处理：平台会与您联系。',
  },
  alreadyReported: '此卡已举报过。',
  windowClosed: '此订单的举报期限已过。',
  refusedTitle: '已拒绝',
  refusedBody: '此表单已失效或并非来自本页面。请重新打开链接。',
  errorTitle: '出错了',
  errorBody: '未做任何更改。请稍后再试。',
  tooManyTitle: '请求过多',
  tooManyBody: (seconds: number) => `此链接刚才使用过于频繁，未做任何操作。请在 ${seconds} 秒后重试。`,
  depositTitle: '存入卡密',
  listing: '商品',
  seller: '卖家',
  listingId: '商品编号',
  depositWarningTitle: '只存入您自己的商品',
  depositWarning: (sellerId: string) =>
    `在此存入的卡密由卖家 ${sellerId} 出售，而不是您。如果有人把此链接发给您，让您存入卡密以便向您付款，请不要这样做：您会把卡密交给对方。`,
  codesLabel: '卡密，每行一个',
  codesHelp: '密码可写在卡密后，用制表符、逗号或分号隔开。卡密中的空格和短横线无妨。',
  fileLabel: '或上传 CSV 文件：code,pin（首行 "code,pin" 会被跳过）',
  depositButton: '存入',
  results: '结果',
  progress: '已核验',
  of: '/',
  outcomes: { accepted: '已接受', rejected: '已拒绝', pending: '待核验', not_checked: '未核验' },
  reasons: {
    already_redeemed: '已被兑换',
    invalid_code: '发卡方无此卡',
    duplicate: '已存入过',
    format: '不是此品牌的卡密',
    value_mismatch: '面值不符',
    issuer_unavailable: '发卡方未响应，稍后再次核验',
    deposit_budget_exhausted: '未发送给发卡方：本小时被拒绝的卡密过多',
  },
  noCodes: '未提供卡密。',
  tooMany: (max: number) => `每次最多 ${max} 个卡密，其余请分开提交。`,
  sellerSuspended: '卖家已被暂停，不能存入卡密。',
  lockedTitle: '存入已锁定',
  lockedUntil: (at: string) => `本小时被发卡方拒绝的卡密过多。在 ${at}（UTC）之前不接受任何卡密。`,
  lockedByOperator: '被发卡方拒绝的卡密多次过多。在平台请保管方为此卖家解锁之前，不接受任何卡密。',
  summary: (a: number, r: number, p: number) => `已接受 ${a}，已拒绝 ${r}，待核验 ${p}`,
};

export const pageText: Record<PageLang, PageText> = { en, 'zh-CN': zh };
