// motcua — the dossiers behind one figure of a report: the page a count on
// the dashboard or Form 06 links to. The address carries the API list
// filters of the figure (set=…, repeatable: the figure is the union of
// disjoint sets, e.g. carried over + newly received), the figure itself
// (n=) and its label. Paged with the API's cursor, numbered across pages,
// so the last number is the count to compare with the report.

import { api } from '/js/api.js';
import { t, fmtNumber, fmtDateTime } from '/js/i18n.js';
import '/i18n/dashboard.js';
import { start } from '/js/staff/shell.js';
import { h, $, clear, stateBadge, resultBadge, channelLabel, errorText } from '/js/staff/dom.js';
import { drawSubnav, shortName } from '/js/dash-common.js';

const PAGE = 50;
// What the page adds itself; never taken from a set.
const OWN = new Set(['limit', 'cursor']);
// channel=offline means direct or postal.
const CHANNELS = { direct: ['direct'], postal: ['postal'], online: ['online'], offline: ['direct', 'postal'] };

let sets = [];			// [{params: URLSearchParams, empty: bool}]
let pages = [{ i: 0, cursor: null }];	// where each page seen so far starts
let page = 0;
let next = null;		// where the next page starts, null at the end

// One set's API parameters. A filter named twice must hold for both: for
// the channel that is the intersection of the two (possibly nothing).
function parseSet(s) {
  const raw = new URLSearchParams(s);
  const params = new URLSearchParams();
  let channels = null;
  let empty = false;
  for (const [k, v] of raw) {
    if (OWN.has(k)) continue;
    if (k === 'channel') {
      const these = CHANNELS[v] || [v];
      channels = channels ? channels.filter((c) => these.includes(c)) : these;
      continue;
    }
    if (params.has(k) && params.get(k) !== v) empty = true;
    else params.set(k, v);
  }
  if (channels) {
    if (channels.length === 0) empty = true;
    else params.set('channel', channels.length === 1 ? channels[0] : 'offline');
  }
  return { params, empty };
}

function row(d, no) {
  const key = d.code || d.ref;
  const finished = d.resolved_at || d.closed_at;
  return h('tr', { 'data-code': key },
    h('td', { class: 'num', text: String(no) }),
    h('td', {}, h('a', { class: 'code', href: '/staff/dossier?code=' + encodeURIComponent(key), text: key })),
    h('td', { class: 'proc' }, h('span', { class: 'clip', title: d.procedure.name, text: d.procedure.name }),
      h('div', { class: 'muted small', text: d.procedure.code })),
    h('td', { text: d.applicant.name }),
    h('td', { text: channelLabel(d.channel) }),
    h('td', { class: 'when', text: fmtDateTime(d.received_at || d.submitted_at) }),
    h('td', { class: 'when', text: d.due_at ? fmtDateTime(d.due_at) : '—' }),
    h('td', { class: 'when', text: finished ? fmtDateTime(finished) : '—' }),
    h('td', {}, resultBadge(d.result) || '—'),
    h('td', {}, stateBadge(d.state)),
    h('td', {}, d.current_agency ? h('span', { title: d.current_agency.name, text: shortName(d.current_agency.name) }) : '—',
      d.assignee ? h('div', { class: 'muted small', text: d.assignee }) : null));
}

// Fill one page from the sets, starting at `from`; returns the rows and
// where the next page starts.
async function fetchPage(from) {
  const items = [];
  let i = from.i;
  let cursor = from.cursor;
  while (i < sets.length && items.length < PAGE) {
    if (sets[i].empty) {
      i++;
      cursor = null;
      continue;
    }
    const p = new URLSearchParams(sets[i].params);
    p.set('limit', String(PAGE - items.length));
    if (cursor) p.set('cursor', cursor);
    const res = await api('GET', '/api/v1/dossiers?' + p.toString());
    items.push(...res.items);
    if (res.next_cursor) {
      cursor = res.next_cursor;
    } else {
      i++;
      cursor = null;
    }
  }
  return { items, next: i < sets.length ? { i, cursor } : null };
}

async function load() {
  const body = $('#rows');
  body.setAttribute('aria-busy', 'true');
  document.body.dataset.loaded = 'false';
  try {
    const res = await fetchPage(pages[page]);
    const first = page * PAGE + 1;
    clear(body);
    res.items.forEach((d, k) => body.append(row(d, first + k)));
    next = res.next;
    // A page that is exactly full may be followed by nothing: look ahead
    // so "next" is never offered onto an empty page.
    if (next && res.items.length === PAGE) {
      const probe = await fetchPage({ ...next });
      if (!probe.items.length) next = null;
    }
    pages[page + 1] = next;
    const shown = first - 1 + res.items.length;
    if (!res.items.length && page === 0) {
      body.append(h('tr', {}, h('td', { colspan: 11, class: 'empty', text: t('list.empty') })));
    }
    const status = $('#status');
    status.textContent = next
      ? t('list.shown', { page: page + 1, a: fmtNumber(first), b: fmtNumber(shown) })
      : t('list.shown_all', { n: fmtNumber(shown) });
    status.dataset.complete = String(!next);
    status.dataset.total = next ? '' : String(shown);
    $('#next').disabled = !next;
    $('#prev').disabled = page === 0;
    $('#page-no').textContent = t('ovd.page', { n: page + 1 });
  } catch (err) {
    clear(body).append(h('tr', {}, h('td', { colspan: 11, class: 'form-error', role: 'alert', text: errorText(err) })));
  } finally {
    body.removeAttribute('aria-busy');
    document.body.dataset.loaded = 'true';
  }
}

async function init() {
  await start();
  const p = new URLSearchParams(location.search);
  sets = p.getAll('set').map(parseSet);
  const label = p.get('label');
  const n = p.get('n');
  if (label) {
    $('#title').textContent = label;
    document.title = label + ' — ' + t('shell.brand');
  }
  if (n !== null && /^\d+$/.test(n)) $('#expected').textContent = t('list.expected', { n: fmtNumber(Number(n)) });
  drawSubnav($('#dash-nav'), '', {});
  // Back to the page the figure was on when there is one.
  const back = $('#back');
  if (document.referrer && new URL(document.referrer).origin === location.origin) {
    back.href = new URL(document.referrer).pathname + new URL(document.referrer).search;
  }
  const echo = clear($('#filters-echo'));
  if (!sets.length) {
    echo.textContent = t('list.no_filter');
    return;
  }
  echo.append(t('list.filters') + ': ');
  sets.forEach((s, i) => {
    if (i) echo.append(' ∪ ');
    echo.append(h('code', { text: decodeURIComponent(s.params.toString()).replace(/&/g, ' · ') }));
  });
  $('#next').addEventListener('click', () => {
    if (!next) return;
    page++;
    load();
  });
  $('#prev').addEventListener('click', () => {
    if (page > 0) {
      page--;
      load();
    }
  });
  await load();
}

init().catch((e) => {
  if (e && e.message !== 'role') console.error(e);
});
