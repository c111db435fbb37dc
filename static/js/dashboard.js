// motcua — the dashboard: how the agencies in the user's scope performed in
// a period (headline on-time rate, month by month trend, Decision 766
// ranking, the procedures most often late, actual vs legal processing
// time) and what is overdue right now. Every figure comes from the report
// API; every count links to the list of exactly its dossiers. Charts are
// Chart.js (Debian's libjs-chart.js, global `Chart`); each has a text
// alternative (an aria-label summary and the same figures as a table).

import { api, query } from '/js/api.js';
import { t, fmtNumber } from '/js/i18n.js';
import '/i18n/dashboard.js';
import { start } from '/js/staff/shell.js';
import { h, $, clear } from '/js/staff/dom.js';
import {
  readState, writeState, setupPeriodForm, scopeAgencies, fillAgencySelect, drawSubnav,
  fmtRate, fmtHours, rateNode, isNA, countLink, receivedLinks, tNodes, periodText, fmtMonth,
  errorBox, shortName,
} from '/js/dash-common.js';

// A procedure whose dossiers use less than this share of the legal limit,
// with fewer late than CUT_LATE %, is a candidate for a shorter limit.
const CUT_SHARE = 50;
const CUT_LATE = 1;
const TOP_LATE = 10;
const TOP_FREQUENT = 15;
const TOP_OVERDUE_AGENCIES = 15;

let user = null;
let agencies = [];
let state = null;
const charts = {};

// ---- charts ------------------------------------------------------------

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function chartDefaults() {
  const C = window.Chart;
  C.defaults.font.family = getComputedStyle(document.body).fontFamily;
  C.defaults.font.size = 13;
  C.defaults.color = css('--muted') || '#5b6675';
  C.defaults.borderColor = css('--chart-grid') || '#e3e7ec';
  C.defaults.maintainAspectRatio = false;
  C.defaults.animation = false;
  C.defaults.plugins.legend.labels.boxWidth = 14;
}

function draw(id, config, alt) {
  if (charts[id]) charts[id].destroy();
  const canvas = document.getElementById(id);
  canvas.setAttribute('aria-label', alt);
  charts[id] = new window.Chart(canvas, config);
  return charts[id];
}

function numTick(v) {
  return fmtNumber(v);
}

// ---- small tables --------------------------------------------------------

function table(head, rows, attrs = {}) {
  return h('table', { class: 'num-table', ...attrs },
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col', text: c })))),
    h('tbody', {}, rows));
}

function td(content, cls) {
  return h('td', { class: cls || null }, content);
}

function num(v) {
  return td(fmtNumber(v), 'num');
}

function meterCell(v, max, low, high) {
  if (isNA(v)) return td(h('span', { class: 'na', text: t('na') }), 'num');
  return td([h('meter', {
    min: 0, max, value: Math.min(v, max), low: low ?? null, high: high ?? null, optimum: 0,
    'aria-hidden': 'true',
  }), ' ', fmtRate(v)], 'num meter-cell');
}

// ---- headline and KPIs ------------------------------------------------------

function drawHeadline(summary, agencyName) {
  const tot = summary.total;
  const rateEl = $('#hl-rate');
  rateEl.textContent = fmtRate(tot.on_time_rate);
  rateEl.classList.toggle('na', isNA(tot.on_time_rate));
  $('#hl-label').hidden = isNA(tot.on_time_rate);
  const sub = clear($('#hl-sub'));
  if (tot.resolved.total === 0) {
    sub.textContent = t('dash.headline_na');
  } else {
    sub.append(...tNodes('dash.headline_sub', {
      resolved: countLink(tot.resolved.total, tot.links.resolved, t('fig.resolved')),
      ontime: fmtNumber(tot.resolved.early + tot.resolved.on_time),
      received: countLink(tot.received.total, receivedLinks(tot.links), t('fig.received')),
    }));
  }
  $('#hl-period').textContent = periodText(summary.from, summary.to) + ' · ' + agencyName;
}

function kpi(name, label, value, extraClass) {
  return h('li', { class: 'kpi ' + (extraClass || ''), 'data-kpi': name },
    h('span', { class: 'kpi-label', text: label }),
    h('span', { class: 'kpi-value' }, value));
}

function drawKpis(summary, indicators) {
  const tot = summary.total;
  const L = tot.links;
  const list = clear($('#kpis'));
  list.append(
    kpi('received', t('dash.kpi_received'), countLink(tot.received.total, receivedLinks(L), t('fig.received'))),
    kpi('resolved', t('dash.kpi_resolved'), countLink(tot.resolved.total, L.resolved, t('fig.resolved'))),
    kpi('late', t('dash.kpi_late'), countLink(tot.resolved.late, L.late, t('fig.late')), tot.resolved.late ? 'warn' : ''),
    kpi('in_progress', t('dash.kpi_in_progress'), countLink(tot.in_progress.total, L.in_progress, t('fig.in_progress'))),
    kpi('overdue', t('dash.kpi_overdue_now'), countLink(tot.in_progress.overdue, L.overdue, t('fig.overdue')),
      tot.in_progress.overdue ? 'danger' : ''),
    kpi('on_time_766', t('dash.kpi_766'), rateNode(indicators.total.on_time_766)),
    kpi('online_share', t('dash.kpi_online'), rateNode(indicators.total.online_share)),
  );
}

function drawApology(os) {
  const agency = state.agency;
  const href = '/overdue' + query({ kind: 'overdue', agency });
  const count = $('#apology-count');
  count.textContent = fmtNumber(os.apology_missing);
  count.href = href;
  count.dataset.count = String(os.apology_missing);
  $('#apology-link').href = href;
  $('#apology').classList.toggle('alert', os.apology_missing > 0);
  $('#apology-text').textContent = os.overdue
    ? t('dash.apology_text', { overdue: fmtNumber(os.overdue), missing: fmtNumber(os.apology_missing), soon: fmtNumber(os.due_soon) })
    : t('dash.apology_none');
}

// ---- trend ------------------------------------------------------------------

function drawTrend(trend) {
  const months = trend.months;
  const labels = months.map((m) => fmtMonth(m.month));
  const rates = months.map((m) => (isNA(m.on_time_rate) ? null : m.on_time_rate));
  const list = months.map((m, i) => `${labels[i]}: ${fmtRate(m.on_time_rate)}`).join('; ');
  draw('c-rate', {
    type: 'line',
    data: {
      labels,
      datasets: [{
        label: t('chart.on_time_rate'), data: rates, borderColor: css('--chart-1'),
        backgroundColor: css('--chart-1'), tension: 0.2, cubicInterpolationMode: 'monotone', spanGaps: false,
        pointRadius: 3,
      }],
    },
    options: {
      scales: {
        y: { max: 100, min: rates.some((r) => r !== null) ? undefined : 0, ticks: { callback: (v) => t('pct', { v: fmtNumber(Math.round(v * 10) / 10) }) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (c) => fmtRate(c.parsed.y) } },
      },
    },
  }, t('dash.chart_rate_alt', { list }));

  const vlist = months.map((m, i) => `${labels[i]}: ${fmtNumber(m.received)} / ${fmtNumber(m.resolved)}`).join('; ');
  draw('c-volume', {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: t('chart.received'), data: months.map((m) => m.received), backgroundColor: css('--chart-2') },
        { label: t('chart.resolved'), data: months.map((m) => m.resolved), backgroundColor: css('--chart-1') },
      ],
    },
    options: {
      scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: numTick } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${fmtNumber(c.parsed.y)}` } } },
    },
  }, t('dash.chart_volume_alt', { list: vlist }));

  clear($('#t-trend')).append(table([t('col.month'), t('col.resolved'), t('col.late'), t('col.on_time_rate')],
    months.map((m, i) => h('tr', {}, td(labels[i]), num(m.resolved), num(m.late), td(rateNode(m.on_time_rate), 'num')))));
  clear($('#t-volume')).append(table([t('col.month'), t('col.received'), t('col.resolved')],
    months.map((m, i) => h('tr', {}, td(labels[i]), num(m.received), num(m.resolved)))));
}

// ---- overdue by agency (now) ---------------------------------------------------

function drawOverdue(os) {
  const items = os.items.filter((a) => a.overdue > 0 || a.due_soon > 0)
    .sort((a, b) => b.overdue - a.overdue || b.apology_missing - a.apology_missing || b.due_soon - a.due_soon)
    .slice(0, TOP_OVERDUE_AGENCIES);
  const box = $('#overdue-box');
  $('#overdue-none').hidden = items.length > 0;
  box.hidden = items.length === 0;
  box.className = 'chart-box bars-' + Math.max(3, Math.min(15, Math.ceil(items.length / 3) * 3));
  if (charts['c-overdue']) {
    charts['c-overdue'].destroy();
    delete charts['c-overdue'];
  }
  if (items.length) {
    const list = items.map((a) => `${a.name}: ${fmtNumber(a.overdue)} (${fmtNumber(a.apology_missing)})`).join('; ');
    const chart = draw('c-overdue', {
      type: 'bar',
      data: {
        labels: items.map((a) => shortName(a.name)),
        datasets: [
          { label: t('chart.overdue_missing'), data: items.map((a) => a.apology_missing), backgroundColor: css('--danger') },
          { label: t('chart.overdue_apologised'), data: items.map((a) => a.overdue - a.apology_missing), backgroundColor: css('--chart-warn') },
          { label: t('chart.due_soon'), data: items.map((a) => a.due_soon), backgroundColor: css('--chart-3') },
        ],
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0, callback: numTick } },
          y: { stacked: true },
        },
        onClick: (ev, elements) => {
          if (elements.length) location.assign('/overdue' + query({ agency: items[elements[0].index].agency }));
        },
      },
    }, t('dash.chart_overdue_alt', { list }));
    chart.canvas.classList.add('clickable');
  }
  const rows = items.map((a) => h('tr', {},
    td(h('a', { href: '/overdue' + query({ agency: a.agency }), text: a.name })),
    td(h('a', { href: '/overdue' + query({ kind: 'overdue', agency: a.agency }), text: fmtNumber(a.overdue) }), 'num'),
    num(a.apology_missing),
    td(h('a', { href: '/overdue' + query({ kind: 'due_soon', agency: a.agency }), text: fmtNumber(a.due_soon) }), 'num')));
  clear($('#t-overdue')).append(table([t('col.agency'), t('col.overdue'), t('col.apology_missing'), t('col.due_soon')], rows));
}

// ---- ranking ----------------------------------------------------------------

function drawRanking(ind, byAgency) {
  const tbl = clear($('#ranking'));
  const head = [t('col.rank'), t('col.agency'), t('col.received'), t('col.resolved'), t('col.on_time_rate'),
    t('col.on_time_766'), t('col.online_share'), t('col.digitisation'), t('col.avg_hours'), t('col.late'),
    t('col.apologies'), t('col.overdue_now')];
  tbl.append(h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col', text: c })))));
  const body = h('tbody', {});
  // Agencies with no dossier in the period have nothing to rank; they are
  // counted under the table instead of filling it with N/A.
  const ranked = ind.items.filter((it) => it.received > 0 || it.resolved > 0 || it.overdue_now > 0);
  for (const it of ranked) {
    const L = (byAgency.get(it.agency) || {}).links;
    body.append(h('tr', { 'data-agency': it.agency },
      num(it.rank),
      h('th', { scope: 'row', title: it.name, text: shortName(it.name) }),
      td(countLink(it.received, receivedLinks(L), `${t('fig.received')} — ${it.name}`), 'num'),
      td(countLink(it.resolved, L && L.resolved, `${t('fig.resolved')} — ${it.name}`), 'num'),
      td(rateNode(it.on_time_rate), 'num'),
      td(rateNode(it.on_time_766), 'num strong'),
      td(rateNode(it.online_share), 'num'),
      td(rateNode(it.digitisation), 'num'),
      td(fmtHours(it.avg_processing_hours), 'num'),
      td(countLink(it.late, L && L.late, `${t('fig.late')} — ${it.name}`), 'num'),
      num(it.apologies),
      td(countLink(it.overdue_now, L && L.overdue, `${t('fig.overdue')} — ${it.name}`), 'num')));
  }
  if (!ranked.length) body.append(h('tr', {}, h('td', { colspan: head.length, class: 'empty', text: t('dash.empty_period') })));
  tbl.append(body);
  const idle = ind.items.length - ranked.length;
  $('#ranking-idle').textContent = idle ? t('dash.ranking_idle', { n: fmtNumber(idle) }) : '';
}

// ---- procedures ---------------------------------------------------------------

function procCell(p) {
  return h('th', { scope: 'row' },
    h('span', { class: 'clip', title: p.name, text: p.name }),
    h('div', { class: 'muted small', text: p.procedure }));
}

function drawLateProcedures(procs, byProc) {
  const late = procs.items.filter((p) => p.late > 0)
    .sort((a, b) => b.late - a.late || (b.late_share || 0) - (a.late_share || 0))
    .slice(0, TOP_LATE);
  const box = clear($('#late-procs'));
  if (!late.length) {
    box.append(h('p', { class: 'muted', text: t('dash.late_none') }));
    return;
  }
  const maxShare = Math.max(...late.map((p) => (isNA(p.late_share) ? 0 : p.late_share)), 1);
  box.append(table([t('col.procedure'), t('col.resolved'), t('col.late'), t('col.late_share'), t('col.on_time_rate')],
    late.map((p) => {
      const L = (byProc.get(p.procedure) || {}).links;
      return h('tr', {},
        procCell(p),
        td(countLink(p.resolved, L && L.resolved, `${t('fig.resolved')} — ${p.procedure}`), 'num'),
        td(countLink(p.late, L && L.late, `${t('fig.late')} — ${p.procedure}`), 'num strong'),
        meterCell(p.late_share, Math.ceil(maxShare), 2, 5),
        td(rateNode(p.on_time_rate), 'num'));
    })));
}

function drawAnalytics(procs, byProc) {
  const pts = procs.items.filter((p) => p.resolved > 0 && p.legal_limit_hours > 0 && !isNA(p.avg_processing_hours));
  const maxN = Math.max(1, ...pts.map((p) => p.resolved));
  const radius = (n) => 3 + 22 * Math.sqrt(n / maxN);
  // Log axes from the power of ten below the smallest value to a "nice"
  // 1-2-5 value above the largest; ticks only on 1-2-5 values.
  const values = pts.flatMap((p) => [p.legal_limit_hours, p.avg_processing_hours]).filter((v) => v > 0);
  const floor = values.length ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 1;
  const biggest = values.length ? Math.max(...values) : 10;
  const top = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(biggest))).find((v) => v >= biggest * 1.15)
    || 2 * 10 ** Math.ceil(Math.log10(biggest));
  const gridColor = css('--chart-grid');
  const grid = { color: (c) => (c.tick && nice(c.tick.value) ? gridColor : 'transparent') };
  const nice = (v) => {
    const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
    return [1, 2, 5].some((k) => Math.abs(m - k) < 1e-6) ? fmtNumber(v) : '';
  };
  draw('c-bubble', {
    type: 'bubble',
    data: {
      datasets: [
        {
          label: t('chart.procedures'),
          data: pts.map((p) => ({ x: p.legal_limit_hours, y: Math.max(floor, p.avg_processing_hours), r: radius(p.resolved), p })),
          backgroundColor: css('--chart-bubble'), borderColor: css('--chart-1'),
        },
        {
          type: 'line', label: t('chart.legal_line'),
          data: [{ x: floor, y: floor }, { x: top, y: top }],
          borderColor: css('--muted'), borderDash: [6, 4], pointRadius: 0, borderWidth: 1,
        },
      ],
    },
    options: {
      scales: {
        x: { type: 'logarithmic', min: floor, max: top, title: { display: true, text: t('chart.x_legal') }, ticks: { callback: nice, autoSkip: false }, grid },
        y: { type: 'logarithmic', min: floor, max: top, title: { display: true, text: t('chart.y_actual') }, ticks: { callback: nice, autoSkip: false }, grid },
      },
      plugins: {
        tooltip: {
          filter: (c) => c.datasetIndex === 0,
          callbacks: {
            label: (c) => {
              const p = c.raw.p;
              return t('chart.bubble_tip', { name: p.name.length > 60 ? p.name.slice(0, 57) + '…' : p.name, legal: fmtHours(p.legal_limit_hours), actual: fmtHours(p.avg_processing_hours), n: fmtNumber(p.resolved) });
            },
          },
        },
      },
    },
  }, t('dash.chart_bubble_alt', { n: fmtNumber(pts.length) }));

  $('#cut-note').textContent = t('dash.cut_note', { share: CUT_SHARE, late: CUT_LATE });
  const frequent = [...pts].sort((a, b) => b.resolved - a.resolved || a.procedure.localeCompare(b.procedure)).slice(0, TOP_FREQUENT);
  const box = clear($('#cut-table'));
  if (!frequent.length) {
    box.append(h('p', { class: 'muted', text: t('dash.empty_period') }));
    return;
  }
  box.append(table([t('col.procedure'), t('col.resolved'), t('col.legal_hours'), t('col.actual_hours'), t('col.used_share'),
    t('col.late_share'), ''],
  frequent.map((p) => {
    const L = (byProc.get(p.procedure) || {}).links;
    const candidate = !isNA(p.used_share) && p.used_share < CUT_SHARE && !isNA(p.late_share) && p.late_share < CUT_LATE;
    return h('tr', { class: candidate ? 'candidate' : null },
      procCell(p),
      td(countLink(p.resolved, L && L.resolved, `${t('fig.resolved')} — ${p.procedure}`), 'num'),
      td(fmtHours(p.legal_limit_hours), 'num'),
      td(fmtHours(p.avg_processing_hours), 'num'),
      meterCell(p.used_share, 100, CUT_SHARE, 90),
      td(rateNode(p.late_share), 'num'),
      td(candidate ? h('span', { class: 'badge ok', text: t('dash.cut_candidate') }) : ''));
  })));
}

// ---- loading --------------------------------------------------------------------

function agencyName() {
  if (!state.agency) {
    return user.role === 'admin' || user.role === 'auditor' ? t('report.scope_all') : user.agency.name;
  }
  const a = agencies.find((x) => x.code === state.agency);
  return a ? a.name : state.agency;
}

async function load() {
  const q = { from: state.from, to: state.to, agency: state.agency };
  drawSubnav($('#dash-nav'), '/dashboard', state);
  $('#main').setAttribute('aria-busy', 'true');
  const parts = await Promise.allSettled([
    api('GET', '/api/v1/reports/summary' + query({ ...q, group_by: 'agency' })),
    api('GET', '/api/v1/reports/trend' + query(q)),
    api('GET', '/api/v1/reports/indicators' + query(q)),
    api('GET', '/api/v1/reports/procedures' + query(q)),
    api('GET', '/api/v1/reports/summary' + query({ ...q, group_by: 'procedure' })),
    api('GET', '/api/v1/reports/overdue/summary' + query({ agency: state.agency })),
  ]);
  $('#main').removeAttribute('aria-busy');
  const [summary, trend, ind, procs, byProcSummary, overdue] = parts.map((p) => (p.status === 'fulfilled' ? p.value : null));
  const failed = parts.find((p) => p.status === 'rejected');
  const show = (sel, ok, fn) => {
    if (ok) return fn();
    const el = clear($(sel));
    const box = errorBox(failed && failed.reason);
    if (el.tagName === 'UL') el.append(h('li', {}, box));
    else if (el.tagName === 'TABLE') el.append(h('tbody', {}, h('tr', {}, h('td', {}, box))));
    else el.append(box);
  };
  const byAgency = new Map((summary ? summary.rows : []).map((r) => [r.key, r]));
  const byProc = new Map((byProcSummary ? byProcSummary.rows : []).map((r) => [r.key, r]));
  show('#hl-sub', summary, () => drawHeadline(summary, agencyName()));
  show('#kpis', summary && ind, () => drawKpis(summary, ind));
  show('#apology-text', overdue, () => drawApology(overdue));
  show('#t-trend', trend, () => drawTrend(trend));
  show('#t-overdue', overdue, () => drawOverdue(overdue));
  show('#ranking', ind, () => drawRanking(ind, byAgency));
  show('#late-procs', procs, () => drawLateProcedures(procs, byProc));
  show('#cut-table', procs, () => drawAnalytics(procs, byProc));
  document.body.dataset.loaded = 'true';
}

async function init() {
  user = await start();
  document.title = t('dash.title') + ' — ' + t('shell.brand');
  chartDefaults();
  const all = await api('GET', '/api/v1/agencies');
  agencies = scopeAgencies(user, all.items);
  state = readState();
  const form = $('#filters');
  fillAgencySelect(form.elements.agency, agencies, state.agency);
  state.agency = form.elements.agency.value;
  writeState(state, true);
  setupPeriodForm(form, state, ({ from, to }) => {
    state = { from, to, agency: form.elements.agency.value };
    writeState(state);
    load();
  });
  form.elements.agency.addEventListener('change', () => form.requestSubmit());
  window.addEventListener('popstate', () => {
    state = readState();
    form.elements.from.value = state.from;
    form.elements.to.value = state.to;
    form.elements.agency.value = state.agency;
    load();
  });
  await load();
}

init().catch((e) => {
  if (e && e.message !== 'role') console.error(e);
});
