import { html } from 'hono/html';
import type { EvidenceBundle } from '../views/evidence-view.js';
import type { StripeEvidence } from '../views/stripe-evidence-view.js';
import { type Html, layout } from './page-layout.js';
import { type PageLang, pageText } from './page-text.js';

/** What a dispute reviewer reads, in the languages of the hosted pages. */
const text = {
  en: {
    title: 'Evidence of a sale',
    summary: 'In one minute',
    product: 'What was sold',
    delivered: 'Delivered (code revealed)',
    ip: 'Buyer IP address',
    erased: 'erased after its retention period',
    none: 'not recorded',
    timeline: 'Everything that happened, in order',
    at: 'When',
    what: 'What',
    who: 'By',
    details: 'Details',
    issuer: 'What the card issuer said',
    reports: "The buyer's reports and their decisions",
    signature: 'Signature',
    bundleHash: 'SHA-256 of the signed bundle',
    verifyTitle: 'How to verify',
    verify: [
      'Fetch the bundle as JSON: GET /v1/orders/{orderId}/evidence answers { bundle, jws }.',
      "Fetch the vault's public keys: GET /v1/evidence-keys (a JWKS).",
      'Check the JWS (ES256) with any JOSE library: its payload is the RFC 8785 form of the bundle.',
      'Check the chain: each event\'s "hash" is the SHA-256 of the event without it, and its "prevHash" the hash before. Or run: npm run evidence:verify -- evidence.json keys.json',
    ],
  },
  'zh-CN': {
    title: '交易证据',
    summary: '一分钟概要',
    product: '售出商品',
    delivered: '交付时间（卡密揭示）',
    ip: '买家 IP 地址',
    erased: '保留期满后已删除',
    none: '未记录',
    timeline: '按时间顺序的全部记录',
    at: '时间',
    what: '事件',
    who: '操作方',
    details: '详情',
    issuer: '发卡方的查询结果',
    reports: '买家的申诉及处理结果',
    signature: '签名',
    bundleHash: '已签名证据包的 SHA-256',
    verifyTitle: '如何验证',
    verify: [
      '以 JSON 获取证据包：GET /v1/orders/{orderId}/evidence 返回 { bundle, jws }。',
      '获取公钥：GET /v1/evidence-keys（JWKS）。',
      '用任意 JOSE 库验证 JWS（ES256）：其载荷是证据包的 RFC 8785 规范化 JSON。',
      '验证哈希链：每个事件的 "hash" 是去掉该字段后事件的 SHA-256，"prevHash" 是前一事件的哈希。或运行：npm run evidence:verify -- evidence.json keys.json',
    ],
  },
} satisfies Record<PageLang, unknown>;

/** The bundle as one printable page: the summary first, then the trail, the issuer, the signature. */
export function evidencePage(lang: PageLang, bundle: EvidenceBundle, stripe: StripeEvidence): Html {
  const t = text[lang];
  const { order } = bundle;
  const ip = stripe.evidence.customer_purchase_ip;
  const anyErased = bundle.revealContexts.some((c) => c.state === 'erased');
  const body = html`<section id="evidence-summary" aria-labelledby="summary-title">
<h2 id="summary-title">${t.summary}</h2>
<dl>
<dt>${t.product}</dt><dd id="evidence-product">${stripe.evidence.product_description}</dd>
<dt>${t.delivered}</dt><dd id="evidence-delivered">${order.revealedAt ?? t.none}</dd>
<dt>${t.ip}</dt><dd id="evidence-ip">${ip ?? (anyErased ? t.erased : t.none)}</dd>
</dl>
</section>
<section aria-labelledby="timeline-title">
<h2 id="timeline-title">${t.timeline}</h2>
<table id="evidence-trail">
<thead><tr><th scope="col">${t.at}</th><th scope="col">${t.what}</th><th scope="col">${t.who}</th><th scope="col">${t.details}</th></tr></thead>
<tbody>
${bundle.trail.map(
  (e) =>
    html`<tr><td>${e.at}</td><td>${e.type}</td><td>${e.actor}</td><td>${contextOf(bundle, e.eventId, t.erased)}</td></tr>`,
)}
</tbody>
</table>
</section>
<section aria-labelledby="issuer-title">
<h2 id="issuer-title">${t.issuer}</h2>
<pre id="evidence-text">${stripe.evidence.uncategorized_text}</pre>
</section>
<section aria-labelledby="signature-title">
<h2 id="signature-title">${t.signature}</h2>
<dl>
<dt>${t.bundleHash}</dt><dd><code id="evidence-sha256">${stripe.bundleSha256}</code></dd>
<dt>JWS</dt><dd><code id="evidence-jws" class="wrap">${stripe.jws}</code></dd>
</dl>
<h3>${t.verifyTitle}</h3>
<ol id="evidence-verify">${t.verify.map((step) => html`<li>${step}</li>`)}</ol>
</section>`;
  return layout({ lang, t: pageText[lang] }, `${t.title}: ${order.orderId}`, body, { nav: false });
}

function contextOf(bundle: EvidenceBundle, eventId: string, erased: string): string {
  const c = bundle.revealContexts.find((r) => r.eventId === eventId);
  if (c === undefined) return '';
  if (c.state === 'erased') return erased;
  return [c.context?.ip, c.context?.userAgent, c.context?.sessionId, c.context?.deviceId]
    .filter((v): v is string => v !== undefined)
    .join(' · ');
}
