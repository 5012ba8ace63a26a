/**
 * The pages' only stylesheet and script, served from this origin (the CSP allows nothing else).
 * The script only enhances: copy buttons, and the deposit sent in chunks with a progress bar.
 * Without it every form still posts and the server renders the answer.
 */
export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f4f5f7}
main{max-width:36rem;margin:0 auto;padding:1rem}
header{display:flex;align-items:center;justify-content:space-between;gap:.5rem;flex-wrap:wrap;margin-bottom:1rem}
header img{max-height:2.5rem;max-width:10rem}
h1{font-size:1.4rem;margin:.25rem 0}
h2{font-size:1.1rem}
section{background:#fff;border:1px solid #d0d4da;border-radius:.5rem;padding:1rem;margin-bottom:1rem;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0}
dt{color:#4a4f57}
dd{margin:0}
button,.button{font:inherit;display:inline-block;min-height:2.75rem;padding:.5rem 1rem;border-radius:.4rem;border:2px solid #0b4fa8;background:#0b4fa8;color:#fff;cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:#0b4fa8}
button:focus-visible,a:focus-visible,textarea:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #e8a600;outline-offset:2px}
a{color:#0b4fa8}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
textarea{width:100%;min-height:10rem;font:14px/1.4 ui-monospace,monospace;padding:.5rem;border:1px solid #8a9099;border-radius:.3rem}
input[type=file],select{max-width:100%}
.code{font:1.25rem/1.4 ui-monospace,monospace;letter-spacing:.05em;background:#eef3fb;padding:.5rem;border-radius:.3rem;word-break:break-all}
.notice{border-left:4px solid #b3261e;padding-left:.75rem}
.ok{border-left:4px solid #1e7a34;padding-left:.75rem}
table{width:100%;border-collapse:collapse;font-size:.9rem}
th,td{text-align:left;padding:.25rem;border-bottom:1px solid #e1e4e8}
progress{width:100%;height:1.25rem}
.muted{color:#4a4f57;font-size:.9rem}
`;

export const PAGE_JS = `
'use strict';
document.querySelectorAll('[data-copy]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target || !navigator.clipboard) return;
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = button.getAttribute('data-copied');
    });
  });
});
var form = document.querySelector('form[data-deposit]');
if (form) {
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = form.querySelector('input[type=file]').files[0];
    (file ? file.text() : Promise.resolve('')).then(function (csv) {
      var text = form.querySelector('textarea').value + '\\n' + csv;
      var lines = text.split(/\\r?\\n/).filter(function (l) { return l.trim() !== ''; });
      send(lines);
    });
  });
}
function send(lines) {
  var chunk = Number(form.getAttribute('data-chunk'));
  var progress = document.getElementById('progress');
  var count = document.getElementById('progress-count');
  var body = document.getElementById('results-body');
  var summary = document.getElementById('summary');
  var totals = { accepted: 0, rejected: 0, pending: 0 };
  document.getElementById('results').hidden = false;
  progress.max = lines.length;
  progress.value = 0;
  count.textContent = '0';
  document.getElementById('progress-total').textContent = String(lines.length);
  form.querySelector('button').disabled = true;
  var done = 0;
  function next() {
    if (done >= lines.length) {
      form.querySelector('textarea').value = '';
      form.querySelector('input[type=file]').value = '';
      form.querySelector('button').disabled = false;
      return;
    }
    var part = lines.slice(done, done + chunk);
    var data = new URLSearchParams();
    data.set('nonce', form.elements.nonce.value);
    data.set('lang', form.elements.lang.value);
    data.set('codes', part.join('\\n'));
    fetch(form.action, { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (!answer.results) { summary.textContent = answer.message || 'error'; form.querySelector('button').disabled = false; return; }
        answer.results.forEach(function (r) {
          var row = document.createElement('tr');
          [String(done + r.index + 1), r.masked, r.outcomeText, r.reason || ''].forEach(function (v) {
            var cell = document.createElement('td'); cell.textContent = v; row.appendChild(cell);
          });
          body.appendChild(row);
          totals[r.outcome] += 1;
        });
        done += part.length;
        progress.value = done;
        count.textContent = String(done);
        summary.textContent = form.getAttribute('data-summary').replace('{a}', totals.accepted).replace('{r}', totals.rejected).replace('{p}', totals.pending);
        next();
      });
  }
  next();
}
`;
