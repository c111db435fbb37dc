// motcua — what the dashboard, the periodic report, its drill-down list and
// the overdue lists share: the period (presets in the office's time zone),
// the agencies in the user's scope, rates and hours formatted for people,
// links from a figure to the list of exactly its dossiers, and the small
// navigation between these pages.

import { t, lang, fmtNumber, fmtDate } from '/js/i18n.js';
import { h, clear } from '/js/staff/dom.js';

const ZONE = 'Asia/Ho_Chi_Minh';

// ---- dates -------------------------------------------------------------

// Today in the office's zone as YYYY-MM-DD.
export function today() {
  const p = {};
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  for (const x of f.formatToParts(new Date())) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day}`;
}

function ymd(y, m, d) {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export const PRESETS = ['this_month', 'this_quarter', 'this_year', 'last_year'];

// The [from, to] of a preset; "this …" periods end today.
export function presetRange(name, now = today()) {
  const [y, m] = now.split('-').map(Number);
  switch (name) {
    case 'this_month': return { from: ymd(y, m, 1), to: now };
    case 'this_quarter': return { from: ymd(y, Math.floor((m - 1) / 3) * 3 + 1, 1), to: now };
    case 'last_year': return { from: ymd(y - 1, 1, 1), to: ymd(y - 1, 12, 31) };
    default: return { from: ymd(y, 1, 1), to: now };
  }
}

export function presetOf(from, to) {
  for (const p of PRESETS) {
    const r = presetRange(p);
    if (r.from === from && r.to === to) return p;
  }
  return 'custom';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function validDay(s) {
  return typeof s === 'string' && DAY.test(s) && !isNaN(Date.parse(s + 'T00:00:00Z'));
}

// "2026-03" → "03/2026"
export function fmtMonth(m) {
  const [y, mm] = String(m).split('-');
  return `${mm}/${y}`;
}

// ---- numbers -----------------------------------------------------------

export function isNA(v) {
  return v === null || v === undefined || typeof v !== 'number' || Number.isNaN(v);
}

function decimals(v, n) {
  return new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'vi-VN', {
    minimumFractionDigits: n, maximumFractionDigits: n,
  }).format(v);
}

// 97.5 → "97,50 %" (vi) or "97.50 %" (en); "N/A" → "Không có số liệu".
export function fmtRate(v) {
  return isNA(v) ? t('na') : t('pct', { v: decimals(v, 2) });
}

// Hours with one decimal; N/A as above.
export function fmtHours(v) {
  return isNA(v) ? t('na') : decimals(v, 1);
}

// A rate cell: the figure, or a muted "N/A".
export function rateNode(v) {
  return isNA(v) ? h('span', { class: 'na', text: t('na') }) : document.createTextNode(fmtRate(v));
}

// Replace {name} in a message with nodes (links) or text.
export function tNodes(key, params) {
  const s = t(key);
  const out = [];
  let last = 0;
  for (const m of s.matchAll(/\{(\w+)\}/g)) {
    out.push(s.slice(last, m.index));
    const v = params[m[1]];
    out.push(v instanceof Node ? v : String(v === undefined ? m[0] : v));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

// ---- drill-down --------------------------------------------------------

// The list page for one or more API list addresses (their union; they are
// disjoint sets, e.g. carried over + newly received), labelled with the
// figure it explains.
export function drillHref(apiLinks, label, n) {
  const q = new URLSearchParams();
  for (const l of [].concat(apiLinks)) {
    const i = l.indexOf('?');
    q.append('set', i < 0 ? '' : l.slice(i + 1));
  }
  if (n !== undefined && n !== null) q.set('n', String(n));
  if (label) q.set('label', label);
  return '/report/list?' + q.toString();
}

// A count as a link to its dossiers (plain text when there is no link).
export function countLink(n, apiLinks, label, attrs = {}) {
  const text = fmtNumber(n);
  const links = [].concat(apiLinks || []).filter(Boolean);
  // No address: the figure is empty by construction (e.g. online intake
  // in the "in person" row).
  if (!links.length) return h('span', { class: 'count none', 'data-count': String(n), text });
  return h('a', {
    class: 'count', href: drillHref(links, label, n), text,
    title: t('report.link_title', { label, n: text }),
    'data-count': String(n), ...attrs,
  });
}

// The union link of "received" (carried over + new in the period).
export function receivedLinks(links) {
  return links ? [links.carried, links.new] : [];
}

// ---- agencies ----------------------------------------------------------

// The agencies a user may report on, in tree order with their depth:
// admins and auditors all, managers theirs and below, others their own.
export function scopeAgencies(user, agencies) {
  const byParent = new Map();
  const byCode = new Map();
  for (const a of agencies) {
    byCode.set(a.code, a);
    const p = a.parent || '';
    if (!byParent.has(p)) byParent.set(p, []);
    byParent.get(p).push(a);
  }
  for (const list of byParent.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  const out = [];
  const walk = (a, depth) => {
    out.push({ ...a, depth });
    for (const c of byParent.get(a.code) || []) walk(c, depth + 1);
  };
  const own = byCode.get(user.agency.code);
  if (user.role === 'admin' || user.role === 'auditor') {
    for (const a of agencies) if (!a.parent || !byCode.has(a.parent)) walk(a, 0);
  } else if (user.role === 'manager' && own) {
    walk(own, 0);
  } else if (own) {
    out.push({ ...own, depth: 0 });
  }
  return out;
}

// Agency names are long; in narrow places "Ủy ban nhân dân" becomes
// "UBND", as in Vietnamese administrative writing.
export function shortName(name) {
  return String(name || '').replace(/^Ủy ban nhân dân /, 'UBND ');
}

// Fill an agency <select>: "all in scope" first when the scope has more
// than one agency.
export function fillAgencySelect(select, list, selected) {
  clear(select);
  if (list.length > 1) select.append(h('option', { value: '', text: t('filter.all_agencies') }));
  for (const a of list) {
    select.append(h('option', { value: a.code, text: '\u00a0\u00a0'.repeat(a.depth) + a.name }));
  }
  select.value = list.some((a) => a.code === selected) ? selected : list.length > 1 ? '' : (list[0] || {}).code || '';
  select.disabled = list.length <= 1;
}

// ---- period form ---------------------------------------------------------

// Wire a filter form with a preset <select name=preset>, dates from/to and
// optionally an agency select: the state lives in the address (so a view
// can be bookmarked and shared). Returns the current state.
export function readState(extra = []) {
  const p = new URLSearchParams(location.search);
  let from = p.get('from');
  let to = p.get('to');
  if (!validDay(from) || !validDay(to) || from > to) ({ from, to } = presetRange('this_year'));
  const out = { from, to, agency: p.get('agency') || '' };
  for (const k of extra) out[k] = p.get(k) || '';
  return out;
}

export function writeState(state, replace = false) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v) p.set(k, v);
  const url = location.pathname + '?' + p.toString();
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}

export function setupPeriodForm(form, state, onSubmit) {
  const preset = form.elements.preset;
  clear(preset);
  for (const p of [...PRESETS, 'custom']) preset.append(h('option', { value: p, text: t('period.' + p) }));
  form.elements.from.value = state.from;
  form.elements.to.value = state.to;
  preset.value = presetOf(state.from, state.to);
  preset.addEventListener('change', () => {
    if (preset.value === 'custom') {
      form.elements.from.focus();
      return;
    }
    const r = presetRange(preset.value);
    form.elements.from.value = r.from;
    form.elements.to.value = r.to;
    form.requestSubmit();
  });
  for (const k of ['from', 'to']) {
    form.elements[k].addEventListener('change', () => {
      preset.value = presetOf(form.elements.from.value, form.elements.to.value);
    });
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const from = form.elements.from.value;
    const to = form.elements.to.value;
    const err = form.querySelector('[data-role="form-error"]');
    if (!validDay(from) || !validDay(to) || from > to) {
      err.textContent = t('period.invalid');
      err.hidden = false;
      form.elements.from.setAttribute('aria-invalid', 'true');
      return;
    }
    err.hidden = true;
    form.elements.from.removeAttribute('aria-invalid');
    onSubmit({ from, to });
  });
}

export function periodText(from, to) {
  return t('period.text', { from: fmtDate(from), to: fmtDate(to) });
}

// ---- navigation between the statistics pages -------------------------------

const PAGES = [
  { href: '/dashboard', key: 'dnav.dashboard' },
  { href: '/report', key: 'dnav.report' },
  { href: '/overdue', key: 'dnav.overdue' },
];

export function drawSubnav(el, current, state = {}) {
  clear(el);
  el.className = 'dash-nav no-print';
  el.setAttribute('aria-label', t('dnav.label'));
  const carry = new URLSearchParams();
  for (const k of ['from', 'to', 'agency']) if (state[k]) carry.set(k, state[k]);
  const list = h('ul', {});
  for (const p of PAGES) {
    // The period travels between dashboard and report; the overdue list
    // is "now" and only takes the agency.
    let qs = carry;
    if (p.href === '/overdue') {
      qs = new URLSearchParams();
      if (state.agency) qs.set('agency', state.agency);
    }
    const s = qs.toString();
    list.append(h('li', {}, h('a', {
      href: p.href + (s ? '?' + s : ''),
      'aria-current': p.href === current ? 'page' : null,
      text: t(p.key),
    })));
  }
  el.append(list);
}

// A message in a box that replaces a section's content when loading fails.
export function errorBox(err) {
  return h('p', { class: 'form-error', role: 'alert', text: t('load_error', { msg: (err && err.message) || '' }) });
}
