import { HEADER, LINE_BREAK } from './deposit-lines.js';

/**
 * The pages' only stylesheet and script, served from this origin (the CSP allows nothing else).
 * Neither holds a secret, so both may be cached; the pages themselves never are. The script only
 * enhances: copy buttons, and the deposit sent in batches with a progress bar. Without it every
 * form still posts and the server renders the answer.
 */
export const PAGE_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f4f5f7}
.bar{display:flex;align-items:center;justify-content:space-between;gap:.5rem;flex-wrap:wrap;padding:.5rem 1rem;background:#fff;border-bottom:1px solid #d0d4da}
.tenant{display:flex;align-items:center;gap:.5rem;font-weight:600;min-width:0;overflow-wrap:anywhere}
.tenant img{width:2.5rem;height:2.5rem;object-fit:contain}
main{max-width:36rem;margin:0 auto;padding:1rem}
footer{max-width:36rem;margin:0 auto;padding:0 1rem 1rem}
h1{font-size:1.4rem;margin:.25rem 0 1rem}
h2{font-size:1.1rem;margin:0 0 .5rem}
section,form{background:#fff;border:1px solid #d0d4da;border-radius:.5rem;padding:1rem;margin:0 0 1rem;overflow-wrap:anywhere}
section form{border:0;padding:0;margin:0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0}
dt{color:#4a4f57}
dd{margin:0}
button{font:inherit;min-height:2.75rem;min-width:2.75rem;padding:.5rem 1rem;border-radius:.4rem;border:2px solid #0b4fa8;background:#0b4fa8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b4fa8}
button[disabled]{opacity:.6;cursor:wait}
button:focus-visible,a:focus-visible,textarea:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
a{color:#0b4fa8}
label,.label{display:block;font-weight:600;margin:.5rem 0 .25rem}
textarea{display:block;width:100%;min-height:10rem;font:14px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;padding:.5rem;border:1px solid #6b7280;border-radius:.3rem}
input[type=file],select{display:block;max-width:100%;font:inherit;min-height:2.75rem}
.code{font:1.25rem/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.05em;background:#eef3fb;padding:.5rem;border-radius:.3rem;word-break:break-all;margin:0 0 .5rem}
.code span{display:inline-block;margin-right:.6em}
.code span:last-child{margin-right:0}
section>p:first-child,section>h2:first-child{margin-top:0}
section>p:last-child,section>form:last-child{margin-bottom:0}
.notice{border-left:4px solid #b3261e}
.ok{border-left:4px solid #1e7a34}
ul#deposit-results{list-style:none;padding:0;margin:0;font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,monospace}
#deposit-results li{border-bottom:1px solid #e1e4e8;padding:.2rem 0;display:grid;grid-template-columns:2.5rem 6.5rem 1fr;column-gap:.5rem;align-items:baseline}
#deposit-results li[data-outcome=rejected] .outcome{color:#b3261e}
#deposit-results li[data-outcome=accepted] .outcome{color:#1e7a34}
#deposit-results .n{color:#4a4f57}
#deposit-results .reason{display:block;color:#4a4f57}
progress{display:block;width:100%;height:1.25rem}
.muted{color:#4a4f57;font-size:.9rem}
time{white-space:nowrap}
[hidden]{display:none!important}
`;

/** The pages' icon (also answered at /favicon.ico): the vault's sealed card. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="2" y="6" width="28" height="20" rx="3" fill="#0b4fa8"/><rect x="2" y="11" width="28" height="4" fill="#083a7c"/><circle cx="23" cy="21" r="3" fill="#fff"/></svg>`;

export const PAGE_JS = `
'use strict';
// Times are rendered in UTC (labelled) for readers without script; here, in the reader's own zone,
// from the instant in \`datetime\`, in the page's language.
document.querySelectorAll('time[datetime]').forEach(function (el) {
  var at = new Date(el.getAttribute('datetime'));
  if (isNaN(at.getTime()) || !window.Intl) return;
  el.textContent = new Intl.DateTimeFormat(document.documentElement.lang, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short'
  }).format(at);
  el.title = el.getAttribute('datetime');
});
document.querySelectorAll('[data-copy]').forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) return;
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = button.getAttribute('data-copied');
    });
  });
});
var form = document.getElementById('deposit-form');
if (form && window.fetch) {
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var input = document.getElementById('codes-file');
    var file = input.files && input.files[0];
    (file ? file.text() : Promise.resolve('')).then(function (csv) {
      var lines = depositLines(document.getElementById('codes').value).concat(depositLines(csv));
      if (lines.length > 0) send(lines);
    });
  });
}
// The textarea and the file each as the server reads them (deposit-lines.ts, same expressions):
// blank lines dropped, a header skipped from the first line of each.
function depositLines(text) {
  var lines = text.split(${LINE_BREAK}).filter(function (l) { return l.trim() !== ''; });
  if (lines.length > 0 && ${HEADER}.test(lines[0])) lines.shift();
  return lines;
}
function send(lines) {
  var batch = Number(form.getAttribute('data-batch')) || 50;
  var progress = document.getElementById('deposit-progress');
  var count = document.getElementById('deposit-count');
  var list = document.getElementById('deposit-results');
  var summary = document.getElementById('deposit-summary');
  var button = document.getElementById('deposit-button');
  var error = document.getElementById('deposit-error');
  if (error) error.hidden = true;
  var totals = { accepted: 0, rejected: 0, pending: 0, not_checked: 0 };
  document.getElementById('deposit-status').hidden = false;
  while (list.firstChild) list.removeChild(list.firstChild);
  progress.max = lines.length;
  progress.value = 0;
  count.textContent = '0';
  summary.textContent = '';
  document.getElementById('deposit-total').textContent = String(lines.length);
  button.disabled = true;
  var done = 0;
  // A batch refused by the link's or the tenant's rate limit (429, not the budget's lock) is sent
  // again after the Retry-After it names: a long deposit goes through at the pace the vault allows.
  var waits = 0;
  function finish(message) {
    button.disabled = false;
    if (message) summary.textContent = message;
  }
  function next() {
    if (done >= lines.length) {
      document.getElementById('codes').value = '';
      document.getElementById('codes-file').value = '';
      return finish();
    }
    var part = lines.slice(done, done + batch);
    var data = new URLSearchParams();
    data.set('nonce', form.elements.nonce.value);
    data.set('lang', form.elements.lang.value);
    data.set('offset', String(done));
    data.set('codes', part.join('\\n'));
    fetch(form.action, { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) {
        return r.json().then(function (answer) {
          var wait = r.status === 429 && !answer.locked ? Number(r.headers.get('Retry-After')) || 1 : 0;
          return { answer: answer, wait: wait };
        });
      })
      .then(function (got) {
        var answer = got.answer;
        if (got.wait > 0 && waits < 20) {
          waits += 1;
          if (answer.error) summary.textContent = answer.error;
          return setTimeout(next, got.wait * 1000);
        }
        waits = 0;
        if (!answer.results) return finish(answer.error || 'error');
        answer.results.forEach(function (r) {
          var item = document.createElement('li');
          item.setAttribute('data-outcome', r.outcome);
          // The same markup as the server's (page-views.ts): number, masked code, then outcome and reason.
          var result = document.createElement('span');
          result.className = 'result';
          [[item, 'n', String(r.number)], [item, 'masked', r.masked], [result, 'outcome', r.outcomeText], [result, 'reason', r.reasonText || '']].forEach(function (part) {
            if (!part[2]) return;
            var span = document.createElement('span');
            span.className = part[1];
            span.textContent = part[2];
            part[0].appendChild(span);
            part[0].appendChild(document.createTextNode(' '));
          });
          item.appendChild(result);
          list.appendChild(item);
          totals[r.outcome] += 1;
        });
        done += part.length;
        progress.value = done;
        count.textContent = String(done);
        summary.textContent = form.getAttribute('data-summary').replace('{a}', totals.accepted).replace('{r}', totals.rejected).replace('{p}', totals.pending);
        next();
      }, function () { finish('error'); });
  }
  next();
}
`;
