/**
 * The page's only script, inline and allowed by its hash in the Content-Security-Policy
 * (`script-src 'sha256-…'`): filters the findings by cluster and rule, shows how many are shown,
 * clears the filters when a link targets a hidden finding, and highlights a cluster's bars, chips
 * and column while the pointer is over one of them. It reads the DOM only: no data, no network.
 */
import { createHash } from 'node:crypto';

/** The script's source (ES2017, no modules): runs once the document is parsed (it ends the body). */
export const SCRIPT = `(function () {
  var cluster = document.getElementById('filter-cluster');
  var rule = document.getElementById('filter-rule');
  var shown = document.getElementById('shown');
  var rows = Array.prototype.slice.call(document.querySelectorAll('table.findings tbody tr'));
  function apply() {
    var c = cluster ? cluster.value : '';
    var r = rule ? rule.value : '';
    var n = 0;
    rows.forEach(function (tr) {
      var ok = (!r || tr.getAttribute('data-rule') === r) && (!c || tr.getAttribute('data-clusters').split('\\n').indexOf(c) >= 0);
      tr.hidden = !ok;
      if (ok) n++;
    });
    if (shown) shown.textContent = String(n);
  }
  if (cluster) cluster.addEventListener('change', apply);
  if (rule) rule.addEventListener('change', apply);
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.hidden) {
      if (cluster) cluster.value = '';
      if (rule) rule.value = '';
      apply();
      el.scrollIntoView();
    }
  }
  window.addEventListener('hashchange', reveal);
  var lit = [];
  function light(name) {
    lit.forEach(function (e) { e.classList.remove('hl'); });
    lit = [];
    if (name === null) return;
    document.querySelectorAll('[data-cluster]').forEach(function (e) {
      if (e.getAttribute('data-cluster') === name) { e.classList.add('hl'); lit.push(e); }
    });
  }
  document.addEventListener('mouseover', function (ev) {
    var t = ev.target && ev.target.closest ? ev.target.closest('[data-cluster]') : null;
    light(t ? t.getAttribute('data-cluster') : null);
  });
})();`;

/** The CSP source of `SCRIPT`: `'sha256-<base64>'`. */
export const SCRIPT_HASH = `'sha256-${createHash('sha256').update(SCRIPT, 'utf8').digest('base64')}'`;
