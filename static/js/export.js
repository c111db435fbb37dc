// motcua — the export page for auditors, inspectors and managers: pick the
// data (the dossier register, the periodic report, the hash-chained
// history), a period, an agency and a format; see how many rows that is;
// download it with a progress bar; note down the head of the audit chain
// and how to verify a history export offline.
//
// The download is streamed (fetch + ReadableStream): the row count comes
// first (X-Total-Rows), the bar follows the rows received (for XLSX, the
// bytes: X-Total-Bytes), and the file is handed to the browser as a Blob.
// Personal data is offered unmasked only when the account may export it
// (the server refuses otherwise, and records every export either way).

import { api, query, ApiError } from '/js/api.js';
import { t, translate, lang, setLang, fmtDate, fmtDateTime, fmtNumber } from '/js/i18n.js';
import '/i18n/export.js';

const ROLES = ['admin', 'auditor', 'manager'];
const FORMATS = { dossiers: ['csv', 'xlsx', 'jsonl'], report: ['csv', 'xlsx'], events: ['jsonl'] };
const ZONE = 'Asia/Ho_Chi_Minh';

const $ = (id) => document.getElementById(id);

let user = null;
let piiAllowed = false;
let countTimer = null;
let countSeq = 0;
let running = null;	// AbortController of the download in progress
let historyFile = null;	// the last history export downloaded here …
let historyHead = null;	// … and a head it certainly contains (noted before it)

function show(el, on) {
  el.hidden = !on;
}

function setText(el, s) {
  el.textContent = s;
}

// ---- dates ---------------------------------------------------------------

// Today in the office's zone as [y, m, d].
function today() {
  const p = {};
  for (const x of new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date())) p[x.type] = x.value;
  return [Number(p.year), Number(p.month), Number(p.day)];
}

function iso(y, m, d) {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.toISOString().slice(0, 10);
}

function presetRange(name) {
  const [y, m, d] = today();
  const q = Math.floor((m - 1) / 3);
  switch (name) {
    case 'this_month': return [iso(y, m, 1), iso(y, m, d)];
    case 'this_quarter': return [iso(y, q * 3 + 1, 1), iso(y, m, d)];
    case 'last_quarter': {
      const py = q === 0 ? y - 1 : y;
      const pq = q === 0 ? 3 : q - 1;
      return [iso(py, pq * 3 + 1, 1), iso(py, pq * 3 + 4, 0)];
    }
    case 'this_year': return [iso(y, 1, 1), iso(y, m, d)];
    case 'last_year': return [iso(y - 1, 1, 1), iso(y - 1, 12, 31)];
    case 'all': return ['', ''];
    default: return null;
  }
}

function applyPreset() {
  const r = presetRange($('preset').value);
  if (!r) return;
  $('from').value = r[0];
  $('to').value = r[1];
}

// ---- the form ------------------------------------------------------------

function kind() {
  return document.querySelector('input[name="kind"]:checked').value;
}

function params() {
  const p = { from: $('from').value, to: $('to').value, agency: $('agency').value };
  if (kind() === 'report') p.group_by = $('group_by').value;
  if (kind() === 'dossiers' && piiAllowed && $('pii').checked) p.pii = 'true';
  return p;
}

function fillFormats() {
  const sel = $('format');
  const was = sel.value;
  sel.replaceChildren(...FORMATS[kind()].map((f) => {
    const o = document.createElement('option');
    o.value = f;
    o.textContent = t('exp.f_' + f);
    return o;
  }));
  if (FORMATS[kind()].includes(was)) sel.value = was;
  show($('group-box'), kind() === 'report');
  show($('pii-box'), kind() === 'dossiers' && piiAllowed);
  show($('pii-none'), kind() === 'dossiers' && !piiAllowed);
}

function periodText() {
  const from = $('from').value;
  const to = $('to').value;
  if (!from && !to) return t('exp.period_all');
  if (!from) return t('exp.period_until', { to: fmtDate(to) });
  if (!to) return t('exp.period_since', { from: fmtDate(from) });
  return t('exp.period', { from: fmtDate(from), to: fmtDate(to) });
}

function showError(msg) {
  const el = $('form-error');
  setText(el, msg || '');
  show(el, !!msg);
}

function errorText(e) {
  if (e instanceof ApiError) {
    const known = t('exp.err_' + e.code);
    return known !== 'exp.err_' + e.code ? known : e.message;
  }
  return t('exp.err_network');
}

// Ask how many rows the current choice would give (debounced).
function scheduleCount() {
  clearTimeout(countTimer);
  countTimer = setTimeout(refreshCount, 250);
}

async function refreshCount() {
  const mine = ++countSeq;
  const from = $('from').value;
  const to = $('to').value;
  if (from && to && from > to) {
    setText($('summary'), '');
    showError(t('exp.err_period'));
    return;
  }
  showError('');
  const p = params();
  delete p.pii;
  try {
    const c = await api('GET', '/api/v1/exports/count' + query({ kind: kind(), ...p }));
    if (mine !== countSeq) return;
    piiAllowed = !!c.pii_allowed;
    fillFormats();
    const n = fmtNumber(c.rows);
    if (kind() === 'events') {
      setText($('summary'), c.rows
        ? t('exp.sum_events', { n, from: fmtNumber(c.from_seq), to: fmtNumber(c.to_seq), period: periodText() })
        : t('exp.sum_none'));
    } else if (kind() === 'report') {
      setText($('summary'), t('exp.sum_report', { n, period: periodText() }));
    } else {
      setText($('summary'), t('exp.sum_dossiers', { n, period: periodText() }));
    }
  } catch (e) {
    if (mine !== countSeq) return;
    setText($('summary'), '');
    showError(errorText(e));
  }
}

// ---- the download ----------------------------------------------------------

function countNewlines(chunk) {
  let n = 0;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) n++;
  return n;
}

function fileName(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename="([^"]+)"/.exec(cd);
  return m ? m[1] : fallback;
}

function sizeText(bytes) {
  if (bytes >= 1048576) return t('exp.mb', { n: (bytes / 1048576).toLocaleString(lang() === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 }) });
  return t('exp.kb', { n: fmtNumber(Math.max(1, Math.round(bytes / 1024))) });
}

function setProgress(fraction, text) {
  const bar = $('progress');
  if (fraction === null) bar.removeAttribute('value');
  else bar.value = Math.round(Math.min(1, fraction) * 1000);
  setText($('progress-text'), text);
}

async function download(ev) {
  ev.preventDefault();
  if (running) return;
  const k = kind();
  const fmt = $('format').value;
  const url = `/api/v1/exports/${k}.${fmt}` + query(params());
  showError('');
  show($('progress-box'), true);
  show($('done-text'), false);
  setProgress(null, t('exp.preparing'));
  $('go').disabled = true;
  show($('cancel'), true);
  running = new AbortController();
  const headBefore = $('head-hash').textContent;
  try {
    const res = await fetch(url, { credentials: 'same-origin', signal: running.signal });
    if (!res.ok) {
      let body = null;
      try { body = await res.json(); } catch (e) { body = null; }
      const err = (body && body.error) || {};
      if (res.status === 401) location.assign('/login?next=' + encodeURIComponent(location.pathname));
      throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || res.statusText, err.field);
    }
    const total = Number(res.headers.get('X-Total-Rows') || 0);
    const totalBytes = Number(res.headers.get('X-Total-Bytes') || 0);
    const record = res.headers.get('X-Export-Event');
    const headerLines = k === 'dossiers' && fmt === 'csv' ? 1 : k === 'report' ? 2 : 0;
    const reader = res.body.getReader();
    const chunks = [];
    let bytes = 0;
    let lines = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.length;
      if (fmt === 'xlsx') {
        setProgress(totalBytes ? bytes / totalBytes : null, t('exp.bytes', { got: sizeText(bytes), total: sizeText(totalBytes) }));
      } else {
        lines += countNewlines(value);
        const rows = Math.min(total, Math.max(0, lines - headerLines));
        setProgress(total ? rows / total : null,
          t('exp.rows', { got: fmtNumber(rows), total: fmtNumber(total), size: sizeText(bytes) }));
      }
    }
    if (fmt !== 'xlsx' && total && lines - headerLines < total) throw new ApiError(0, 'incomplete', '');
    const type = (res.headers.get('Content-Type') || 'application/octet-stream').split(';')[0];
    const blob = new Blob(chunks, { type });
    const name = fileName(res, `motcua-${k}.${fmt}`);
    const href = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60000);
    setProgress(1, t('exp.rows_done', { total: fmtNumber(total), size: sizeText(blob.size) }));
    setText($('done-text'), t('exp.done', { name, seq: record || '?' }));
    show($('done-text'), true);
    // The export's own record advanced the chain: show the new head. The
    // command keeps a head noted before the export, which the file holds.
    if (k === 'events') {
      historyFile = name;
      historyHead = /^[0-9a-f]{64}$/.test(headBefore) ? headBefore : null;
    }
    if (user.role !== 'manager') loadHead();
  } catch (e) {
    if (e.name === 'AbortError') {
      setProgress(0, t('exp.cancelled'));
    } else {
      setProgress(0, '');
      showError(e instanceof ApiError && e.code === 'incomplete' ? t('exp.err_incomplete') : errorText(e));
    }
  } finally {
    running = null;
    $('go').disabled = false;
    show($('cancel'), false);
  }
}

// ---- the chain head ----------------------------------------------------------

async function loadHead() {
  try {
    const h = await api('GET', '/api/v1/audit/head');
    setText($('head-count'), fmtNumber(h.count));
    setText($('head-at'), h.at ? fmtDateTime(h.at) : '—');
    setText($('head-hash'), h.hash || '—');
    const head = historyFile ? historyHead : h.hash;
    setText($('head-cmd'), `motcua audit verify ${historyFile || 'motcua-events-….jsonl'}${head ? ' --head ' + head : ''}`);
    show($('head-box'), true);
  } catch (e) {
    show($('head-box'), false);
  }
}

async function copyHead() {
  const text = $('head-hash').textContent;
  try {
    await navigator.clipboard.writeText(text);
    setText($('head-copy'), t('exp.copied'));
  } catch (e) {
    const r = document.createRange();
    r.selectNodeContents($('head-hash'));
    const s = getSelection();
    s.removeAllRanges();
    s.addRange(r);
  }
}

// ---- start -----------------------------------------------------------------

// Agencies the caller may pick: everything for admins and auditors, the
// manager's own agency and those below it.
function agencyOptions(items) {
  const sel = $('agency');
  const opts = [];
  let allowed = items;
  if (user.role === 'manager') {
    const below = new Set([user.agency.code]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const a of items) if (a.parent && below.has(a.parent) && !below.has(a.code)) { below.add(a.code); grew = true; }
    }
    allowed = items.filter((a) => below.has(a.code));
  } else {
    const o = document.createElement('option');
    o.value = '';
    o.textContent = t('exp.all_agencies');
    opts.push(o);
  }
  for (const a of allowed) {
    const o = document.createElement('option');
    o.value = a.code;
    o.textContent = `${a.name} (${a.code})`;
    opts.push(o);
  }
  sel.replaceChildren(...opts);
  if (user.role === 'manager') sel.value = user.agency.code;
}

async function logout() {
  try { await api('DELETE', '/api/v1/session', undefined, { noRedirect: true }); } catch (e) { /* already out */ }
  location.assign('/login');
}

async function main() {
  translate();
  const other = lang() === 'vi' ? 'en' : 'vi';
  const sw = $('lang-switch');
  sw.textContent = t('exp.switch_lang');
  sw.lang = other;
  sw.addEventListener('click', () => { setLang(other); location.reload(); });
  $('logout').addEventListener('click', logout);
  let session;
  try {
    session = await api('GET', '/api/v1/session');
  } catch (e) {
    return;	// 401 went to the login page
  }
  user = session.user;
  setText($('who-name'), user.full_name);
  setText($('who-role'), t('exp.role_' + user.role));
  setText($('who-agency'), user.agency.name);
  const main = $('main');
  if (!ROLES.includes(user.role)) {
    main.replaceChildren();
    const p = document.createElement('p');
    p.className = 'form-error';
    p.textContent = t('exp.not_for_role');
    main.append(p);
    show(main, true);
    return;
  }
  const privileged = user.role !== 'manager';
  show($('kind-events-label'), privileged);
  try {
    const ag = await api('GET', '/api/v1/agencies');
    agencyOptions(ag.items || []);
  } catch (e) {
    showError(errorText(e));
  }
  applyPreset();
  fillFormats();
  for (const el of document.querySelectorAll('input[name="kind"]'))
    el.addEventListener('change', () => { fillFormats(); scheduleCount(); });
  $('preset').addEventListener('change', () => { applyPreset(); scheduleCount(); });
  for (const id of ['from', 'to']) $(id).addEventListener('change', () => { $('preset').value = 'custom'; scheduleCount(); });
  for (const id of ['agency', 'group_by']) $(id).addEventListener('change', scheduleCount);
  $('export-form').addEventListener('submit', download);
  $('cancel').addEventListener('click', () => { if (running) running.abort(); });
  $('head-refresh').addEventListener('click', () => loadHead());
  $('head-copy').addEventListener('click', copyHead);
  show(main, true);
  await refreshCount();
  if (privileged) loadHead();
}

main();
