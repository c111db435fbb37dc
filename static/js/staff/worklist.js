// motcua — worklists: my dossiers, my agency's queue, or everything in my
// scope; filtered by state, procedure, channel and period, searched by
// code, name or ID number, sorted by due time, paged with the API's
// cursor. The filters live in the address, so a list can be bookmarked
// and the back button works. Overdue and due-soon rows stand out. A clerk
// has a tab of the one-stop's online submissions waiting to be accepted.

import { api, query } from '/js/api.js';
import { t, fmtDateTime } from '/js/i18n.js';
import '/i18n/staff-citizen.js';
import { start } from '/js/staff/shell.js';
import {
  h, $, $$, clear, showError, clearErrors, stateBadge, dueBadges, STATES,
} from '/js/staff/dom.js';

const PAGE = 50;
const VIEWS = {
  clerk: ['queue', 'online', 'all'],
  officer: ['queue', 'mine', 'all'],
  manager: ['queue', 'mine', 'all'],
  admin: ['all'],
  auditor: ['all'],
};
const FILTERS = ['q', 'state', 'channel', 'procedure', 'received_from', 'received_to', 'sort'];
// The "online" view: the one-stop's queue of dossiers submitted online and
// not yet accepted (they have a ref, no code).
const ONLINE = 'submitted_online';
let onlineCount = null;		// shown on the clerk's tab

let user = null;
let cursors = [null];		// cursor of each page seen so far
let page = 0;

function params() {
  const p = new URLSearchParams(location.search);
  const views = VIEWS[user.role] || ['all'];
  const view = views.includes(p.get('view')) ? p.get('view') : views[0];
  const out = { view };
  for (const k of FILTERS) out[k] = p.get(k) || '';
  if (view === 'online') out.state = ONLINE;
  if (!out.sort) out.sort = view === 'all' || view === 'online' ? 'received' : 'due';
  return out;
}

function setParams(next) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(next)) if (v) p.set(k, v);
  history.pushState(null, '', location.pathname + '?' + p.toString());
  cursors = [null];
  page = 0;
  load();
}

function drawTabs(current) {
  const tabs = clear($('#tabs'));
  for (const v of VIEWS[user.role] || ['all']) {
    tabs.append(h('button', {
      type: 'button', role: 'tab', class: 'tab', 'aria-selected': v === current ? 'true' : 'false',
      tabindex: v === current ? '0' : '-1', 'data-view': v,
      onclick: () => {
        // The online view fixes the state; leaving it clears that filter.
        const cur = params();
        setParams({ ...cur, view: v, state: cur.view === 'online' || v === 'online' ? '' : cur.state });
      },
      text: v === 'online' && onlineCount !== null ? t('worklist.view_online_n', { n: onlineCount }) : t('worklist.view_' + v),
      'data-testid': 'view-' + v,
    }));
  }
  // Arrow keys move between tabs, as in any tab list.
  tabs.onkeydown = (ev) => {
    const all = $$('[role=tab]', tabs);
    const i = all.indexOf(document.activeElement);
    if (i < 0 || (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft')) return;
    const j = (i + (ev.key === 'ArrowRight' ? 1 : -1) + all.length) % all.length;
    all[j].focus();
    all[j].click();
  };
}

function fillFilters(p) {
  const form = $('#filters');
  for (const k of FILTERS) form.elements[k].value = p[k];
  form.elements.state.disabled = p.view === 'online';
  $('#online-hint').hidden = p.view !== 'online';
}

function holder(d) {
  const parts = [];
  if (d.current_agency) parts.push(h('span', { text: d.current_agency.name }));
  if (d.assignee) parts.push(h('span', { class: 'muted', text: ' · ' + d.assignee }));
  return parts.length ? parts : h('span', { class: 'muted', text: '—' });
}

function row(d) {
  const key = d.code || d.ref;
  const cls = d.overdue ? 'overdue' : d.due_soon ? 'due-soon' : d.state === ONLINE ? 'online-waiting' : '';
  return h('tr', { class: cls, 'data-code': key },
    h('td', {}, h('a', { class: 'code', href: '/staff/dossier?code=' + encodeURIComponent(key), text: key })),
    h('td', {}, h('span', { class: 'clip', title: d.procedure.name, text: d.procedure.name }),
      h('div', { class: 'muted small', text: d.procedure.code })),
    h('td', {}, d.applicant.name),
    h('td', { class: 'nowrap' }, fmtDateTime(d.received_at || d.submitted_at)),
    h('td', { class: 'nowrap' }, d.due_at ? fmtDateTime(d.due_at) : '—', h('div', {}, dueBadges(d))),
    h('td', {}, stateBadge(d.state),
      d.state === ONLINE ? h('div', {}, h('span', { class: 'badge warn', text: t('worklist.online_badge') })) : null),
    h('td', {}, holder(d)));
}

async function load() {
  const p = params();
  drawTabs(p.view);
  fillFilters(p);
  const form = $('#filters');
  clearErrors(form);
  const q = { limit: PAGE, sort: p.sort, cursor: cursors[page] };
  if (p.view === 'mine') q.mine = 'true';
  if (p.view === 'queue' || p.view === 'online') q.queue = 'true';
  for (const k of FILTERS) if (k !== 'sort' && p[k]) q[k] = p[k];
  const body = $('#rows');
  body.setAttribute('aria-busy', 'true');
  try {
    const res = await api('GET', '/api/v1/dossiers' + query(q));
    clear(body);
    for (const d of res.items) body.append(row(d));
    if (!res.items.length) {
      body.append(h('tr', {}, h('td', { colspan: 7, class: 'empty', text: t('worklist.empty') })));
    }
    cursors[page + 1] = res.next_cursor;
    $('#next').disabled = !res.next_cursor;
    $('#prev').disabled = page === 0;
    $('#page-no').textContent = t('worklist.page', { n: page + 1 });
    const overdue = res.items.filter((d) => d.overdue).length;
    const soon = res.items.filter((d) => d.due_soon && !d.overdue).length;
    $('#summary').textContent = t('worklist.summary', { n: res.items.length, overdue, soon });
    if (p.view === 'online' && !res.next_cursor && !cursors[page] && onlineCount !== res.items.length) {
      onlineCount = res.items.length;
      drawTabs(p.view);
    }
  } catch (err) {
    clear(body);
    showError(form, err);
  } finally {
    body.removeAttribute('aria-busy');
  }
}

// How many online submissions wait at the clerk's one-stop (for the tab).
async function countOnline() {
  try {
    const res = await api('GET', '/api/v1/dossiers' + query({ queue: 'true', state: ONLINE, limit: 100 }));
    onlineCount = res.next_cursor ? '100+' : res.items.length;
    drawTabs(params().view);
  } catch (err) {
    onlineCount = null;	// the tab still works without its count
  }
}

async function init() {
  user = await start();
  if (user.role === 'clerk') $('#new-intake').hidden = false;
  if ((VIEWS[user.role] || []).includes('online')) countOnline();
  const state = $('#f-state');
  state.append(h('option', { value: '', text: t('worklist.any') }),
    ...STATES.map((s) => h('option', { value: s, text: t('state.' + s) })));
  const form = $('#filters');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = { view: params().view };
    for (const k of FILTERS) next[k] = form.elements[k].value.trim();
    setParams(next);
  });
  for (const k of ['state', 'channel', 'sort']) {
    form.elements[k].addEventListener('change', () => form.requestSubmit());
  }
  $('#f-reset').addEventListener('click', () => setParams({ view: params().view }));
  $('#next').addEventListener('click', () => { page++; load(); });
  $('#prev').addEventListener('click', () => { if (page > 0) { page--; load(); } });
  window.addEventListener('popstate', () => { cursors = [null]; page = 0; load(); });
  load();
}

init().catch(() => {});
