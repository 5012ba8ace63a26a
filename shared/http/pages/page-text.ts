/** The page languages: Chinese first (most buyers on the platforms this serves), English. */
export const pageLangs = ['zh-CN', 'en'] as const;
export type PageLang = (typeof pageLangs)[number];

/** `?lang=` wins (the switch), else the first Accept-Language tag the pages speak, else English. */
export function chooseLang(query: string | undefined, acceptLanguage: string | undefined): PageLang {
  if (query === 'zh-CN' || query === 'en') return query;
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((t) => t.tag && t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

const en = {
  title: 'card-vault',
  switchTo: '中文',
  invalidTitle: 'This link cannot be used',
  invalidBody: 'It is unknown, expired or revoked. Ask the marketplace for a new link.',
  orderTitle: 'Your order',
  item: 'Item',
  brand: 'Brand',
  quantity: 'Quantity',
  amount: 'Amount paid',
  revealButton: 'Reveal code',
  revealNote: 'The code is shown once, here. It is checked with the issuer first.',
  notPaid: 'The payment has not cleared yet. Come back to this link once it has.',
  refunded:
    'This order was refunded: the code was found already used before you saw it, so nothing is shown.',
  suspendedRefund: 'This order was refunded: the seller was suspended, so nothing is shown.',
  revealedAt: 'Revealed at',
  alreadyRevealed: 'This code was already revealed and is not shown again.',
  yourCode: 'Your code',
  code: 'Code',
  pin: 'PIN',
  copy: 'Copy',
  copied: 'Copied',
  hint: (brand: string) =>
    `Redeem it on ${brand}'s official site or app. Keep it secret: nobody from support will ask for it.`,
  saveNow: 'Write it down now: reloading this page will not show it again.',
  reportTitle: 'Code does not work?',
  reportCard: 'Card',
  reportButton: 'Report it as already redeemed',
  reportDone: 'Report received. Decision:',
  refusedTitle: 'Refused',
  refusedBody: 'This form has expired or did not come from this page. Open the link again.',
  errorTitle: 'Something went wrong',
  errorBody: 'Nothing was changed. Try again in a moment.',
  depositTitle: 'Deposit codes',
  listing: 'Listing',
  codesLabel: 'Codes, one per line (an optional PIN after a comma, tab or space)',
  fileLabel: 'Or upload a CSV file (code,pin)',
  depositButton: 'Deposit',
  results: 'Results',
  progress: 'Checked',
  of: 'of',
  accepted: 'accepted',
  rejected: 'rejected',
  pending: 'pending',
  noCodes: 'No codes were given.',
  tooMany: (max: number) => `At most ${max} codes at a time.`,
  summary: (a: number, r: number, p: number) => `${a} accepted, ${r} rejected, ${p} pending`,
};

export type PageText = typeof en;

const zh: PageText = {
  title: 'card-vault 卡密保管',
  switchTo: 'English',
  invalidTitle: '此链接无法使用',
  invalidBody: '链接无效、已过期或已撤销。请向平台索取新链接。',
  orderTitle: '您的订单',
  item: '商品',
  brand: '品牌',
  quantity: '数量',
  amount: '实付金额',
  revealButton: '查看卡密',
  revealNote: '卡密只在此处显示一次，显示前会先向发卡方核验。',
  notPaid: '付款尚未到账。到账后请再次打开此链接。',
  refunded: '此订单已退款：卡密在您查看前已被使用，因此不予显示。',
  suspendedRefund: '此订单已退款：卖家已被暂停，因此不予显示。',
  revealedAt: '查看时间',
  alreadyRevealed: '此卡密已查看过，不再显示。',
  yourCode: '您的卡密',
  code: '卡号',
  pin: '密码',
  copy: '复制',
  copied: '已复制',
  hint: (brand: string) => `请在 ${brand} 官方网站或应用中兑换。请勿泄露：客服不会向您索要卡密。`,
  saveNow: '请立即记下：刷新页面后不会再次显示。',
  reportTitle: '卡密无法使用？',
  reportCard: '卡',
  reportButton: '举报为已被兑换',
  reportDone: '已收到举报。处理结果：',
  refusedTitle: '已拒绝',
  refusedBody: '此表单已失效或并非来自本页面。请重新打开链接。',
  errorTitle: '出错了',
  errorBody: '未做任何更改。请稍后再试。',
  depositTitle: '存入卡密',
  listing: '商品',
  codesLabel: '卡密，每行一个（可在逗号、制表符或空格后附密码）',
  fileLabel: '或上传 CSV 文件（code,pin）',
  depositButton: '存入',
  results: '结果',
  progress: '已核验',
  of: '/',
  accepted: '已接受',
  rejected: '已拒绝',
  pending: '待核验',
  noCodes: '未提供卡密。',
  tooMany: (max: number) => `每次最多 ${max} 个卡密。`,
  summary: (a: number, r: number, p: number) => `已接受 ${a}，已拒绝 ${r}，待核验 ${p}`,
};

export const pageText: Record<PageLang, PageText> = { en, 'zh-CN': zh };
