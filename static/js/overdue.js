// motcua — overdue and due-soon dossiers, now: how long each is overdue
// (days and working hours), whether the apology and new appointment (Form
// 04) was issued — a missing one stands out — and who holds it. Two tabs,
// an agency filter (the holder), paging with the API's cursor, and the
// counts per agency beside the list. The state is in the address:
// /overdue?kind=due_soon&agency=CODE.

import { api, query } from '/js/api.js';
import { t, fmtNumber, fmtDate, fmtDateTime } from '/js/i18n.js';
import '/i18n/dashboard.js';
import { start } from '/js/staff/shell.js';
import { h, $, $$, clear, stateBadge, errorText } from '/js/staff/dom.js';
import { scopeAgencies, fillAgencySelect, drawSubnav, errorBox, shortName } from '/js/dash-common.js';

const PAGE = 50;
const KINDS = ['overdue', 'due_soon'];

let user = null;
let agencies = [];
let state = { kind: 'overdue', agency: '' };
let cursors = [null];
let page = 0;
let summary = null;

function readState() {
  const p = new URLSearchParams(location.search);
  return {
    kind: KINDS.includes(p.get('kind')) ? p.get('kind') : 'overdue',
    agency: p.get('agency') || '',
  };
}

function go(next, replace = false) {
  state = { ...state, ...next };
  const url = location.pathname + query({ kind: state.kind, agency: state.agency });
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  cursors = [null];
  page = 0;
  refresh();
}

function href(kind, agency) {
  return '/overdue' + query({ kind, agency });
}

// ---- counts beside the list --------------------------------------------------

function countsFor(agency) {
  if (!summary) return null;
  if (!agency) return { overdue: summary.overdue, apology_missing: summary.apology_missing, due_soon: summary.due_soon };
  return summary.items.find((a) => a.agency === agency) || { overdue: 0, apology_missing: 0, due_soon: 0 };
}

function drawSide() {
  const box = clear($('#side'));
  const items = summary.items.filter((a) => a.overdue || a.due_soon)
    .sort((a, b) => b.overdue - a.overdue || b.apology_missing - a.apology_missing || b.due_soon - a.due_soon
      || a.name.localeCompare(b.name));
  if (!items.length) {
    box.append(h('p', { class: 'muted', text: t('ovd.side_none') }));
    return;
  }
  // One agency: its name (narrows the list to it), then its counts, each
  // a link to the matching tab.
  const line = (a, name, code) => h('li', { class: state.agency === code ? 'current' : null, 'data-agency': code || '' },
    h('a', {
      class: 'side-name', href: href(state.kind, code), title: name,
      'aria-current': state.agency === code ? 'true' : null, text: shortName(name),
    }),
    h('span', { class: 'side-counts' },
      h('a', { href: href('overdue', code), 'data-col': 'overdue', text: t('ovd.n_overdue', { n: fmtNumber(a.overdue) }) }),
      ' · ',
      h('span', { class: a.apology_missing ? 'late' : 'muted', 'data-col': 'apology_missing',
        text: t('ovd.n_missing', { n: fmtNumber(a.apology_missing) }) }),
      ' · ',
      h('a', { href: href('due_soon', code), 'data-col': 'due_soon', text: t('ovd.n_due_soon', { n: fmtNumber(a.due_soon) }) })));
  box.append(h('ul', { class: 'side-list' }, items.map((a) => line(a, a.name, a.agency))),
    h('ul', { class: 'side-list side-total' }, line(summary, t('ovd.side_all'), '')));
}

function drawCounts() {
  const c = countsFor(state.agency);
  if (!c) return;
  $('#n-overdue').textContent = fmtNumber(c.overdue);
  $('#n-due_soon').textContent = fmtNumber(c.due_soon);
  const s = $('#summary');
  s.textContent = t('ovd.summary', { overdue: fmtNumber(c.overdue), missing: fmtNumber(c.apology_missing), soon: fmtNumber(c.due_soon) });
  s.dataset.overdue = String(c.overdue);
  s.dataset.apologyMissing = String(c.apology_missing);
  s.dataset.dueSoon = String(c.due_soon);
}

// ---- the list ------------------------------------------------------------------

function lateCell(d) {
  if (state.kind === 'overdue') {
    return h('td', { class: 'num late wrap' },
      h('div', { text: t('ovd.days', { n: fmtNumber(d.days_overdue) }) }),
      d.working_hours_overdue !== undefined
        ? h('div', { class: 'muted small', text: t('ovd.work_hours', { n: fmtNumber(d.working_hours_overdue) }) }) : null);
  }
  const left = d.working_hours_overdue !== undefined ? -d.working_hours_overdue : null;
  return h('td', { class: 'num wrap' }, left === null ? '—' : t('ovd.work_hours', { n: fmtNumber(Math.max(0, left)) }));
}

function apologyCell(d) {
  if (d.apology_issued) {
    return h('td', { 'data-apology': 'issued' },
      h('span', { class: 'badge ok', text: t('ovd.apology_issued', { at: fmtDate(d.apology_at) }) }));
  }
  if (state.kind === 'overdue') {
    return h('td', { 'data-apology': 'missing' }, h('span', { class: 'badge danger', text: t('ovd.apology_missing') }));
  }
  return h('td', { 'data-apology': 'not_due' }, h('span', { class: 'muted', text: t('ovd.apology_not_due') }));
}

function row(d) {
  const missing = state.kind === 'overdue' && !d.apology_issued;
  const appointmentMoved = d.appointment_at && d.appointment_at !== d.due_at;
  return h('tr', { class: missing ? 'apology-missing' : null, 'data-code': d.code },
    h('td', {}, h('a', { class: 'code', href: '/staff/dossier?code=' + encodeURIComponent(d.code), text: d.code }),
      h('div', {}, stateBadge(d.state))),
    h('td', { class: 'proc-cell' }, h('span', { class: 'clip', title: d.procedure.name, text: d.procedure.name }),
      h('div', { class: 'muted small', text: d.procedure.code + ' · ' + d.applicant })),
    h('td', {}, h('div', { title: d.held_by.name, text: shortName(d.held_by.name) }),
      h('div', { class: 'muted small', text: d.assignee || t('ovd.unassigned') })),
    h('td', { class: 'due-cell' }, fmtDateTime(d.due_at),
      appointmentMoved ? h('div', { class: 'muted small', text: t('ovd.appointment', { at: fmtDateTime(d.appointment_at) }) }) : null),
    lateCell(d),
    apologyCell(d));
}

async function loadList() {
  const body = $('#rows');
  body.setAttribute('aria-busy', 'true');
  document.body.dataset.loaded = 'false';
  try {
    const res = await api('GET', '/api/v1/reports/overdue' + query({
      kind: state.kind, agency: state.agency, limit: PAGE, cursor: cursors[page],
    }));
    clear(body);
    for (const d of res.items) body.append(row(d));
    if (!res.items.length) {
      body.append(h('tr', {}, h('td', { colspan: 6, class: 'empty', text: t('ovd.empty_' + state.kind) })));
    }
    cursors[page + 1] = res.next_cursor;
    $('#next').disabled = !res.next_cursor;
    $('#prev').disabled = page === 0;
    $('#page-no').textContent = t('ovd.page', { n: page + 1 });
  } catch (err) {
    clear(body).append(h('tr', {}, h('td', { colspan: 6, class: 'form-error', role: 'alert', text: errorText(err) })));
  } finally {
    body.removeAttribute('aria-busy');
    document.body.dataset.loaded = 'true';
  }
}

async function loadSummary() {
  try {
    summary = await api('GET', '/api/v1/reports/overdue/summary');
    drawSide();
    drawCounts();
    $('#as-of').textContent = t('ovd.as_of', { at: fmtDateTime(summary.as_of) });
  } catch (err) {
    clear($('#side')).append(errorBox(err));
  }
}

function drawTabs() {
  for (const tab of $$('[role=tab]', $('#tabs'))) {
    const on = tab.dataset.kind === state.kind;
    tab.setAttribute('aria-selected', on ? 'true' : 'false');
    tab.tabIndex = on ? 0 : -1;
  }
  $('#h-late').textContent = t(state.kind === 'overdue' ? 'ovd.col_late' : 'ovd.col_left');
  $('#hint').textContent = state.kind === 'due_soon' ? t('ovd.due_soon_hint') : '';
  $('#filters').elements.agency.value = state.agency;
  drawSubnav($('#dash-nav'), '/overdue', { agency: state.agency });
}

async function refresh() {
  drawTabs();
  if (summary) {
    drawSide();
    drawCounts();
  }
  await loadList();
}

async function init() {
  user = await start();
  document.title = t('ovd.title') + ' — ' + t('shell.brand');
  const all = await api('GET', '/api/v1/agencies');
  agencies = scopeAgencies(user, all.items);
  state = readState();
  const select = $('#filters').elements.agency;
  fillAgencySelect(select, agencies, state.agency);
  state.agency = select.value;
  select.addEventListener('change', () => go({ agency: select.value }));
  $('#filters').addEventListener('submit', (ev) => ev.preventDefault());
  const tabs = $('#tabs');
  tabs.addEventListener('click', (ev) => {
    const tab = ev.target.closest('[role=tab]');
    if (tab && tab.dataset.kind !== state.kind) go({ kind: tab.dataset.kind });
  });
  tabs.addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
    const next = state.kind === 'overdue' ? 'due_soon' : 'overdue';
    go({ kind: next });
    $('#tab-' + next).focus();
  });
  $('#next').addEventListener('click', () => {
    if (!cursors[page + 1]) return;
    page++;
    loadList();
  });
  $('#prev').addEventListener('click', () => {
    if (page === 0) return;
    page--;
    loadList();
  });
  window.addEventListener('popstate', () => {
    state = readState();
    cursors = [null];
    page = 0;
    refresh();
  });
  history.replaceState(null, '', location.pathname + query({ kind: state.kind, agency: state.agency }));
  drawTabs();
  await Promise.all([loadSummary(), loadList()]);
}

init().catch((e) => {
  if (e && e.message !== 'role') console.error(e);
});
