// motcua — the periodic report, Form 06/VPCP/KSTT (Circular 01/2020): for
// a period and a grouping, dossiers received (carried over, online, in
// person or postal), resolved (early, on time, late), in progress (within
// the deadline, overdue), refused and withdrawn, and the on-time rate.
// Every count links to the list of exactly those dossiers; every row shows
// whether it balances (received = resolved + in progress + refused +
// withdrawn). Prints on A4 landscape (report-print.css).
//
// Below the form, for the same period and agency: the citizens' voice per
// agency — ratings and the average of each Decree 61 Art 31 item,
// dislikes, requests for unofficial payments, and feedback received,
// answered on time or late, open past its deadline (GET
// /api/v1/citizen/summary).

import { api, query } from '/js/api.js';
import { t, lang, fmtDateTime, fmtNumber } from '/js/i18n.js';
import '/i18n/dashboard.js';
import { start } from '/js/staff/shell.js';
import { h, $, clear } from '/js/staff/dom.js';
import {
  readState, writeState, setupPeriodForm, scopeAgencies, fillAgencySelect, drawSubnav,
  rateNode, countLink, receivedLinks, periodText, errorBox, isNA,
} from '/js/dash-common.js';

const GROUPS = ['agency', 'level', 'field', 'procedure', 'channel', 'none'];

let user = null;
let agencies = [];
let allAgencies = [];
let state = null;

function balanced(r) {
  return r.received.total === r.resolved.total + r.in_progress.total + r.stopped + r.withdrawn;
}

// The figures of one row, in the form's column order, with the label of
// each for the drill-down list's title.
function cells(r, rowLabel) {
  const L = r.links;
  const lab = (k) => (rowLabel ? `${t('fig.' + k)} — ${rowLabel}` : t('fig.' + k));
  const c = (n, link, k) => h('td', { class: 'num', 'data-col': k }, countLink(n, link, lab(k)));
  return [
    c(r.received.total, receivedLinks(L), 'received'),
    c(r.received.new_online, L.new_online, 'new_online'),
    c(r.received.new_direct_postal, L.new_direct_postal, 'new_direct_postal'),
    c(r.received.carried, L.carried, 'carried'),
    c(r.resolved.total, L.resolved, 'resolved'),
    c(r.resolved.early, L.early, 'early'),
    c(r.resolved.on_time, L.on_time, 'on_time'),
    c(r.resolved.late, L.late, 'late'),
    c(r.in_progress.total, L.in_progress, 'in_progress'),
    c(r.in_progress.within, L.within, 'within'),
    c(r.in_progress.overdue, L.overdue, 'overdue'),
    c(r.stopped, L.stopped, 'stopped'),
    c(r.withdrawn, L.withdrawn, 'withdrawn'),
    h('td', { class: 'num strong' }, rateNode(r.on_time_rate)),
    checkCell(balanced(r)),
  ];
}

function checkCell(ok) {
  return h('td', { class: 'check ' + (ok ? 'ok' : 'bad') },
    h('span', { 'aria-hidden': 'true', text: ok ? '✓' : '✗' }),
    h('span', { class: 'visually-hidden', text: t(ok ? 'report.row_ok' : 'report.row_bad') }));
}

function scopeName() {
  if (state.agency) {
    const a = agencies.find((x) => x.code === state.agency);
    return a ? a.name : state.agency;
  }
  return user.role === 'admin' || user.role === 'auditor' ? t('report.scope_all') : user.agency.name;
}

// The server labels levels and channels in Vietnamese; in English the
// catalogue's words are used.
function rowLabel(rep, r) {
  if (lang() !== 'en' || (rep.group_by !== 'level' && rep.group_by !== 'channel')) return r.label;
  const key = rep.group_by + '.' + r.key;
  const s = t(key);
  return s === key ? r.label : s;
}

function draw(rep) {
  $('#h-group').textContent = t('report.g_' + rep.group_by);
  $('#r-period').textContent = periodText(rep.from, rep.to);
  $('#r-scope').textContent = t('report.scope', { agency: scopeName() });
  const body = clear($('#rows'));
  const rows = rep.group_by === 'none' ? [] : rep.rows;
  rows.forEach((r, i) => {
    const label = rowLabel(rep, r);
    body.append(h('tr', { 'data-key': r.key },
      h('td', { class: 'num', text: String(i + 1) }),
      h('th', { scope: 'row' }, label,
        rep.group_by === 'agency' || rep.group_by === 'procedure' ? h('div', { class: 'muted small code', text: r.key }) : null),
      cells(r, label)));
  });
  if (!rows.length && rep.total.received.total === 0) {
    body.append(h('tr', {}, h('td', { colspan: 17, class: 'empty', text: t('report.empty') })));
  }
  clear($('#total')).append(h('tr', { 'data-key': 'total' },
    h('td', {}),
    h('th', { scope: 'row', text: t('report.total_row') }),
    cells(rep.total, '')));
  const allOk = rep.invariant_ok && rows.every(balanced) && balanced(rep.total);
  const inv = $('#invariant');
  inv.className = 'invariant ' + (allOk ? 'ok' : 'bad');
  inv.dataset.ok = String(allOk);
  inv.textContent = (allOk ? '✓ ' : '✗ ') + t(allOk ? 'report.invariant_ok' : 'report.invariant_bad');
  $('#as-of').textContent = t('report.as_of', { at: fmtDateTime(rep.as_of) });
}

// ---- the citizens' voice: ratings and feedback per agency ----------------------

// The codes of agency and everything below it (null: no agency chosen,
// i.e. all in the user's scope). The periodic report counts a chosen
// agency with its subtree; the citizen summary's ?agency= is that agency
// alone, so for a parent the page asks for its whole scope and keeps the
// subtree.
function subtree(code) {
  if (!code) return null;
  const out = new Set([code]);
  for (let grew = true; grew;) {
    grew = false;
    for (const a of allAgencies) {
      if (a.parent && out.has(a.parent) && !out.has(a.code)) {
        out.add(a.code);
        grew = true;
      }
    }
  }
  return out;
}

function avgText(v) {
  if (isNA(v)) return h('span', { class: 'na', text: t('na') });
  return new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'vi-VN', {
    minimumFractionDigits: 2, maximumFractionDigits: 2,
  }).format(v);
}

function pct(num, den) {
  return den > 0 ? Math.round((num / den) * 10000) / 100 : null;
}

// A figure's cell; alert marks one that should not be there (dislikes,
// unofficial payments, late or overdue feedback).
function fig(col, content, alert) {
  return h('td', { class: 'num' + (alert ? ' alert' : ''), 'data-col': col }, content);
}

function ratingCells(x) {
  const r = x.ratings;
  return [
    fig('ratings', fmtNumber(r.count)),
    fig('avg_time', avgText(r.avg_time)),
    fig('avg_trips', avgText(r.avg_trips)),
    fig('avg_attitude', avgText(r.avg_attitude)),
    fig('avg_result', avgText(r.avg_result)),
    fig('dislikes', fmtNumber(r.dislikes), r.dislikes > 0),
    fig('unofficial_payments', fmtNumber(r.unofficial_payments), r.unofficial_payments > 0),
    fig('satisfied_rate', rateNode(r.satisfied_rate)),
  ];
}

function feedbackCells(x) {
  const f = x.feedback;
  return [
    fig('fb_received', fmtNumber(f.received)),
    fig('fb_on_time', fmtNumber(f.answered_on_time)),
    fig('fb_late', fmtNumber(f.answered_late), f.answered_late > 0),
    fig('fb_open_overdue', fmtNumber(f.open_overdue), f.open_overdue > 0),
    fig('fb_on_time_rate', rateNode(f.on_time_rate)),
    fig('complained', fmtNumber(x.complained_dossiers)),
  ];
}

// The sum of the rows: counts added, averages weighted by the number of
// ratings, rates recomputed from the sums.
function citizenTotal(items) {
  const r = { count: 0, dislikes: 0, unofficial_payments: 0 };
  const f = { received: 0, answered_on_time: 0, answered_late: 0, open_overdue: 0 };
  const sums = { avg_time: 0, avg_trips: 0, avg_attitude: 0, avg_result: 0 };
  let complained = 0;
  for (const x of items) {
    for (const k of Object.keys(r)) r[k] += x.ratings[k];
    for (const k of Object.keys(f)) f[k] += x.feedback[k];
    for (const k of Object.keys(sums)) if (!isNA(x.ratings[k])) sums[k] += x.ratings[k] * x.ratings.count;
    complained += x.complained_dossiers;
  }
  for (const k of Object.keys(sums)) r[k] = r.count ? sums[k] / r.count : null;
  r.satisfied_rate = pct(r.count - r.dislikes, r.count);
  f.on_time_rate = pct(f.answered_on_time, f.answered_on_time + f.answered_late);
  return { ratings: r, feedback: f, complained_dossiers: complained };
}

// One of the two tables: a row per agency, a total row when there are
// several, or a line saying there is nothing.
function drawTable(rowsEl, totalEl, items, cellsOf, ncols) {
  const body = clear(rowsEl);
  items.forEach((x, i) => {
    body.append(h('tr', { 'data-agency': x.agency.code },
      h('td', { class: 'num', text: String(i + 1) }),
      h('th', { scope: 'row' }, x.agency.name, h('div', { class: 'muted small code', text: x.agency.code })),
      cellsOf(x)));
  });
  if (!items.length) body.append(h('tr', {}, h('td', { colspan: ncols, class: 'empty', text: t('csum.empty') })));
  const foot = clear(totalEl);
  if (items.length > 1) {
    foot.append(h('tr', { 'data-agency': 'total' },
      h('td', {}), h('th', { scope: 'row', text: t('report.total_row') }), cellsOf(citizenTotal(items))));
  }
}

function drawCitizen(items) {
  const order = new Map(agencies.map((a, i) => [a.code, i]));
  items.sort((a, b) => (order.get(a.agency.code) ?? 1e9) - (order.get(b.agency.code) ?? 1e9)
    || a.agency.code.localeCompare(b.agency.code));
  // An agency appears in a table only with a figure of that table.
  const rated = items.filter((x) => x.ratings.count > 0);
  const fed = items.filter((x) => {
    const f = x.feedback;
    return f.received + f.answered_on_time + f.answered_late + f.open_overdue + x.complained_dossiers > 0;
  });
  drawTable($('#cs-r-rows'), $('#cs-r-total'), rated, ratingCells, 10);
  drawTable($('#cs-f-rows'), $('#cs-f-total'), fed, feedbackCells, 8);
}

async function loadCitizen() {
  const tables = [$('#cs-ratings'), $('#cs-feedback')];
  for (const tb of tables) tb.setAttribute('aria-busy', 'true');
  $('#cs-period').textContent = `${periodText(state.from, state.to)} — ${t('report.scope', { agency: scopeName() })}`;
  const codes = subtree(state.agency);
  try {
    const q = { from: state.from, to: state.to };
    if (codes && codes.size === 1) q.agency = state.agency;
    const res = await api('GET', '/api/v1/citizen/summary' + query(q));
    drawCitizen(codes ? res.items.filter((x) => codes.has(x.agency.code)) : res.items);
  } catch (err) {
    clear($('#cs-r-rows')).append(h('tr', {}, h('td', { colspan: 10 }, errorBox(err))));
    clear($('#cs-f-rows')).append(h('tr', {}, h('td', { colspan: 8 }, errorBox(err))));
    clear($('#cs-r-total'));
    clear($('#cs-f-total'));
  } finally {
    for (const tb of tables) tb.removeAttribute('aria-busy');
  }
}

async function load() {
  drawSubnav($('#dash-nav'), '/report', state);
  const table = $('#f06');
  table.setAttribute('aria-busy', 'true');
  document.body.dataset.loaded = 'false';
  const citizen = loadCitizen();
  try {
    const rep = await api('GET', '/api/v1/reports/summary' + query({
      from: state.from, to: state.to, group_by: state.group_by, agency: state.agency,
    }));
    draw(rep);
  } catch (err) {
    clear($('#rows')).append(h('tr', {}, h('td', { colspan: 17 }, errorBox(err))));
    clear($('#total'));
    $('#invariant').textContent = '';
  } finally {
    table.removeAttribute('aria-busy');
    await citizen;
    document.body.dataset.loaded = 'true';
  }
}

function readAll() {
  const s = readState(['group_by']);
  if (!GROUPS.includes(s.group_by)) s.group_by = 'agency';
  return s;
}

async function init() {
  user = await start();
  document.title = t('report.title') + ' — ' + t('shell.brand');
  const all = await api('GET', '/api/v1/agencies');
  allAgencies = all.items;
  agencies = scopeAgencies(user, all.items);
  state = readAll();
  const form = $('#filters');
  fillAgencySelect(form.elements.agency, agencies, state.agency);
  state.agency = form.elements.agency.value;
  form.elements.group_by.value = state.group_by;
  writeState(state, true);
  setupPeriodForm(form, state, ({ from, to }) => {
    state = { from, to, group_by: form.elements.group_by.value, agency: form.elements.agency.value };
    writeState(state);
    load();
  });
  for (const k of ['agency', 'group_by']) form.elements[k].addEventListener('change', () => form.requestSubmit());
  $('#print').addEventListener('click', () => window.print());
  window.addEventListener('popstate', () => {
    state = readAll();
    form.elements.from.value = state.from;
    form.elements.to.value = state.to;
    form.elements.agency.value = state.agency;
    form.elements.group_by.value = state.group_by;
    load();
  });
  await load();
}

init().catch((e) => {
  if (e && e.message !== 'role') console.error(e);
});
