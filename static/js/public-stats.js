// motcua — public statistics: per agency in charge, for the year or the
// quarter: dossiers received, resolved and the on-time rate (two
// decimals; "N/A" when nothing was resolved). Served from the aggregate
// tables (GET /api/v1/public/stats), never by scanning dossiers.

import { papi, h, clear, $, initPage, t, lang, fmtNumber, errorText } from '/js/public-common.js';

let data = null;

function rate(v) {
  if (v === null || v === undefined) return t('stats.na');
  return new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'vi-VN',
    { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v) + ' %';
}

function line(name, sub, f, cls) {
  return h('tr', { class: cls || null },
    h('td', null, h('span', { class: 'agency-name' }, name), sub ? h('span', { class: 'agency-sub' }, sub) : null),
    h('td', { class: 'num', 'data-label': t('stats.received') }, fmtNumber(f.received)),
    h('td', { class: 'num', 'data-label': t('stats.resolved') }, fmtNumber(f.resolved)),
    h('td', { class: 'num', 'data-label': t('stats.on_time_rate'), 'data-testid': 'on-time-rate' }, rate(f.on_time_rate)));
}

function ratingText(r) {
  return r && r.count ? t('stats.ratings', { n: fmtNumber(r.count), rate: rate(r.satisfied_rate) }) : null;
}

function render() {
  const body = clear($('#stats-body'));
  const key = $('#stats-period').value === 'quarter' ? 'quarter' : 'year';
  const rows = data.agencies.filter((a) => a[key].received || a[key].resolved);
  body.append(line(t('stats.total'), ratingText(data.total.ratings), data.total[key], 'total'));
  if (!rows.length) {
    body.append(h('tr', null, h('td', { colspan: 4, class: 'muted' }, t('stats.empty'))));
    return;
  }
  rows.sort((a, b) => b[key].received - a[key].received || a.name.localeCompare(b.name, 'vi'));
  for (const a of rows) body.append(line(a.name, ratingText(a.ratings), a[key]));
}

function periodOptions() {
  const sel = $('#stats-period');
  const keep = sel.value || 'year';
  clear(sel);
  sel.append(h('option', { value: 'year' }, t('stats.period_year', { year: data.year })),
    h('option', { value: 'quarter' }, t('stats.period_quarter', { q: data.quarter, year: data.year })));
  sel.value = keep;
}

async function load(year) {
  const err = $('#stats-error');
  err.hidden = true;
  try {
    data = await papi('GET', '/api/v1/public/stats' + (year ? '?year=' + year : ''));
    const years = $('#stats-year');
    if (![...years.options].some((o) => o.value === String(data.year))) {
      years.prepend(h('option', { value: data.year }, String(data.year)));
    }
    years.value = String(data.year);
    periodOptions();
    render();
  } catch (e) {
    err.textContent = errorText(e);
    err.hidden = false;
  }
}

function init() {
  initPage('stats.title');
  const now = new Date().getFullYear();
  const years = $('#stats-year');
  for (let y = now; y >= now - 4; y--) years.append(h('option', { value: y }, String(y)));
  years.addEventListener('change', () => load(years.value));
  $('#stats-period').addEventListener('change', render);
  load(null);
}

init();
