// motcua — admin: the working calendar as a year view. One click sets a
// day: a working day becomes a holiday, a weekend day a make-up working
// day, and a day already set goes back to the weekday rule. Arrow keys
// move across the year (one tab stop for the whole grid), Enter or Space
// changes the day. The side panel keeps the note for the day and previews
// a procedure's appointment, so the effect of a holiday is seen at once.

import { api, query } from '/js/api.js';
import { t, fmtDateTime, lang } from '/js/i18n.js';
import { start } from '/js/staff/shell.js';
import { h, $, $$, clear, showError, clearErrors, flash, errorText } from '/js/staff/dom.js';

const WD = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
let year = 0;
let data = null;		// GET /api/v1/calendar answer
let exceptions = new Map();	// "YYYY-MM-DD" → item
let focusDate = '';
let selected = '';

function iso(y, m, d) {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function parse(s) {
  const [y, m, d] = s.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function shift(s, days) {
  const d = parse(s);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

// 0 = Monday … 6 = Sunday
function weekday(s) {
  return (parse(s).getUTCDay() + 6) % 7;
}

function todayLocal() {
  const p = {};
  for (const x of new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date())) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day}`;
}

function ruleWorking(s) {
  return (data.working_weekdays || []).includes(WD[weekday(s)]);
}

function dayState(s) {
  const ex = exceptions.get(s);
  if (ex) return ex.working ? 'makeup' : 'holiday';
  return ruleWorking(s) ? 'work' : 'off';
}

function longDate(s) {
  const d = parse(s);
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'vi-VN', {
    timeZone: 'UTC', weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric',
  }).format(d);
}

function dayLabel(s) {
  const ex = exceptions.get(s);
  return `${longDate(s)}: ${t('cal.state_' + dayState(s))}${ex && ex.note ? ' — ' + ex.note : ''}`;
}

// ---- drawing ---------------------------------------------------------------

function drawMonths() {
  const box = clear($('#months'));
  const today = todayLocal();
  const monthName = new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'vi-VN', { month: 'long', timeZone: 'UTC' });
  for (let m = 1; m <= 12; m++) {
    const first = iso(year, m, 1);
    const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
    const grid = h('div', { class: 'month-grid', role: 'group', 'aria-label': monthName.format(parse(first)) + ' ' + year });
    for (const w of WD) grid.append(h('span', { class: 'wd', 'aria-hidden': 'true', text: t('cal.wd_' + w) }));
    for (let i = 0; i < weekday(first); i++) grid.append(h('span', { class: 'pad', 'aria-hidden': 'true' }));
    for (let d = 1; d <= days; d++) {
      const s = iso(year, m, d);
      const ex = exceptions.get(s);
      grid.append(h('button', {
        type: 'button', class: `day ${dayState(s)}${s === today ? ' today' : ''}${s === selected ? ' selected' : ''}`,
        'data-date': s, tabindex: s === focusDate ? '0' : '-1', 'aria-label': dayLabel(s),
        'aria-pressed': ex ? 'true' : 'false', title: ex && ex.note ? ex.note : null, text: String(d),
      }));
    }
    box.append(h('section', { class: 'month' }, h('h2', { class: 'month-name', text: monthName.format(parse(first)) }), grid));
  }
}

function drawExceptions() {
  const list = clear($('#exceptions'));
  for (const ex of [...exceptions.values()].sort((a, b) => a.date.localeCompare(b.date))) {
    list.append(h('li', { class: 'ex ' + (ex.working ? 'makeup' : 'holiday') },
      h('button', { type: 'button', class: 'link left', onclick: () => select(ex.date, true), text: longDate(ex.date) }),
      ' — ', ex.working ? t('cal.makeup') : t('cal.holiday'), ex.note ? ': ' + ex.note : ''));
  }
  if (!exceptions.size) list.append(h('li', { class: 'muted', text: t('cal.no_exceptions') }));
}

function drawDay() {
  const card = $('#day-card');
  if (!selected) {
    card.hidden = true;
    return;
  }
  const ex = exceptions.get(selected);
  card.hidden = false;
  $('#s-day').textContent = longDate(selected);
  $('#day-status').textContent = t('cal.state_' + dayState(selected)) + (ex && ex.source ? ` (${ex.source})` : '');
  $('#day-note').value = ex ? ex.note : '';
  const acts = clear($('#day-actions'));
  if (ex) {
    acts.append(h('button', { type: 'submit', class: 'secondary', text: t('cal.save_note') }),
      h('button', { type: 'button', class: 'secondary', onclick: () => change(selected, null), text: t('cal.reset_day') }));
  } else if (ruleWorking(selected)) {
    acts.append(h('button', { type: 'button', onclick: () => change(selected, false), text: t('cal.make_holiday') }));
  } else {
    acts.append(h('button', { type: 'button', onclick: () => change(selected, true), text: t('cal.make_workday') }));
  }
}

function redraw() {
  $('#year-label').textContent = String(year);
  drawMonths();
  drawExceptions();
  drawDay();
  const warn = $('#uncovered');
  warn.hidden = data.covered;
  warn.textContent = data.covered ? '' : t('cal.uncovered', { year });
}

// ---- data ------------------------------------------------------------------------

async function load(y) {
  year = y;
  data = await api('GET', '/api/v1/calendar' + query({ year }));
  exceptions = new Map(data.items.map((x) => [x.date, x]));
  if (!focusDate || !focusDate.startsWith(String(year))) {
    const today = todayLocal();
    focusDate = today.startsWith(String(year)) ? today : iso(year, 1, 1);
  }
  redraw();
}

// working: true/false sets the day, null removes the exception.
async function change(s, working) {
  const form = $('#day-form');
  clearErrors(form);
  try {
    if (working === null) {
      await api('DELETE', '/api/v1/calendar/' + s);
    } else {
      const note = selected === s ? $('#day-note').value.trim() : '';
      await api('PUT', '/api/v1/calendar/' + s, {
        working, note: note || t(working ? 'cal.default_makeup' : 'cal.default_holiday'),
      });
    }
  } catch (err) {
    flash($('#flash'), errorText(err), 'danger');
    return;
  }
  selected = s;
  focusDate = s;
  await load(year);
  const msg = working === null ? 'cal.done_reset' : working ? 'cal.done_makeup' : 'cal.done_holiday';
  flash($('#flash'), t(msg, { date: longDate(s) }));
  const btn = $(`.day[data-date="${s}"]`);
  if (btn) btn.focus();
  refreshPreview();
}

// One click: toggle the day the obvious way.
function toggle(s) {
  const state = dayState(s);
  selected = s;
  if (state === 'work') change(s, false);
  else if (state === 'off') change(s, true);
  else change(s, null);
}

function select(s, focus) {
  selected = s;
  focusDate = s;
  for (const b of $$('.day.selected')) b.classList.remove('selected');
  const btn = $(`.day[data-date="${s}"]`);
  if (btn) {
    btn.classList.add('selected');
    if (focus) btn.focus();
  }
  drawDay();
}

function moveFocus(to) {
  if (!to.startsWith(String(year))) return;
  const old = $(`.day[data-date="${focusDate}"]`);
  const btn = $(`.day[data-date="${to}"]`);
  if (!btn) return;
  if (old) old.tabIndex = -1;
  btn.tabIndex = 0;
  focusDate = to;
  btn.focus();
}

async function refreshPreview(ev) {
  if (ev) ev.preventDefault();
  const form = $('#preview-form');
  const code = $('#pv-proc').value.trim();
  const box = $('#preview');
  clearErrors(form);
  if (!code) return;
  try {
    const d = await api('GET', '/api/v1/deadline' + query({ procedure: code, channel: $('#pv-channel').value }));
    clear(box).append(h('dl', { class: 'facts' },
      h('dt', { text: t('counter.received_now') }), h('dd', { text: fmtDateTime(d.received_at) }),
      h('dt', { text: t('dossier.appointment') }), h('dd', {}, h('strong', { 'data-testid': 'cal-preview-due', text: d.due_at ? fmtDateTime(d.due_at) : t('counter.no_due') }))));
  } catch (err) {
    clear(box);
    showError(form, err);
  }
}

async function init() {
  await start({ roles: ['admin'] });
  const y = Number(new URLSearchParams(location.search).get('year')) || Number(todayLocal().slice(0, 4));
  const months = $('#months');
  months.addEventListener('click', (ev) => {
    const btn = ev.target.closest('.day');
    if (!btn) return;
    select(btn.dataset.date, false);
    toggle(btn.dataset.date);
  });
  months.addEventListener('focusin', (ev) => {
    const btn = ev.target.closest('.day');
    if (btn) focusDate = btn.dataset.date;
  });
  months.addEventListener('keydown', (ev) => {
    const btn = ev.target.closest('.day');
    if (!btn) return;
    const s = btn.dataset.date;
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (moves[ev.key] !== undefined) {
      ev.preventDefault();
      moveFocus(shift(s, moves[ev.key]));
    } else if (ev.key === 'PageUp' || ev.key === 'PageDown') {
      ev.preventDefault();
      const d = parse(s);
      d.setUTCMonth(d.getUTCMonth() + (ev.key === 'PageUp' ? -1 : 1));
      moveFocus(iso(d.getUTCFullYear(), d.getUTCMonth() + 1, Math.min(d.getUTCDate(), 28)));
    } else if (ev.key === 'Home' || ev.key === 'End') {
      ev.preventDefault();
      moveFocus(shift(s, ev.key === 'Home' ? -weekday(s) : 6 - weekday(s)));
    }
  });
  $('#day-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const ex = exceptions.get(selected);
    if (ex) change(selected, ex.working);
  });
  $('#prev-year').addEventListener('click', () => { focusDate = ''; load(year - 1); });
  $('#next-year').addEventListener('click', () => { focusDate = ''; load(year + 1); });
  $('#preview-form').addEventListener('submit', refreshPreview);
  $('#pv-channel').addEventListener('change', refreshPreview);
  await load(y);
}

init().catch(() => {});
