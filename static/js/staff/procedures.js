// motcua — admin: procedures. Find one (inactive ones too), change its
// time limit (and the online channel's own limit), fee, online level,
// lead agency and status, and edit the steps of its inter-agency chain:
// which agency, what it does, how many working hours it has. Changes apply
// to dossiers received from now on; the server keeps a history row.

import { api, query } from '/js/api.js';
import { t, fmtNumber } from '/js/i18n.js';
import { start } from '/js/staff/shell.js';
import { h, $, $$, clear, showError, clearErrors, flash, limitText, debounce, errorText } from '/js/staff/dom.js';

const UNITS = ['working_days', 'working_hours', 'calendar_days', 'immediate', 'none'];
const ONLINE_UNITS = ['working_days', 'working_hours', 'calendar_days', 'immediate'];
const LEVELS = ['full', 'partial', 'none', 'unknown'];
const COUNTING = new Set(['working_days', 'working_hours', 'calendar_days']);

let agencies = [];
let current = null;
let dayHours = 8;

function agencyOptions(selected, noneLabel) {
  const today = new Date().toISOString().slice(0, 10);
  return [h('option', { value: '', selected: !selected, text: noneLabel }),
    ...agencies.filter((a) => a.code === selected || !a.valid_to || a.valid_to >= today)
      .map((a) => h('option', { value: a.code, selected: a.code === selected, text: `${a.name} (${a.code})` }))];
}

// ---- list ---------------------------------------------------------------

const search = debounce(async () => {
  const q = $('#q').value.trim();
  const active = $('#active').value;
  try {
    const res = await api('GET', '/api/v1/admin/procedures' + query({ q, active, limit: 200 }));
    const body = clear($('#rows'));
    for (const p of res.items) {
      body.append(h('tr', { 'data-code': p.code, class: [p.active ? '' : 'disabled', current && current.code === p.code ? 'selected' : ''].join(' ') },
        h('td', {}, h('span', { class: 'code', text: p.code })),
        h('td', {}, h('button', { type: 'button', class: 'link left', onclick: () => open(p.code), text: p.name }),
          h('div', { class: 'muted small', text: `${p.field} · ${t('level.' + p.level)}` })),
        h('td', { class: 'nowrap' }, limitText(p.limit),
          p.online_limit ? h('div', { class: 'muted small', text: t('procedure.online') + ': ' + limitText(p.online_limit) }) : null),
        h('td', { class: 'num', text: String(p.steps) }),
        h('td', {}, h('span', { class: 'badge ' + (p.active ? 'ok' : 'neutral'), text: t(p.active ? 'procs.active' : 'procs.inactive') }))));
    }
    $('#count').textContent = res.truncated ? t('procs.count_more', { n: res.items.length, total: res.matched })
      : t('procs.count', { n: res.matched });
  } catch (err) {
    $('#count').textContent = errorText(err);
  }
}, 200);

// ---- settings --------------------------------------------------------------

function syncValue(unitSel, valueInput) {
  const counting = COUNTING.has(unitSel.value);
  valueInput.disabled = !counting;
  if (!counting) valueInput.value = '';
}

async function open(code) {
  let p;
  try {
    p = await api('GET', '/api/v1/procedures/' + encodeURIComponent(code));
  } catch (err) {
    flash($('#flash'), errorText(err), 'danger');
    return;
  }
  current = p;
  $('#editor').hidden = false;
  $('#flash').hidden = true;
  $('#edit-title').textContent = `${p.code} — ${p.name}`;
  $('#edit-meta').textContent = `${p.field} · ${t('level.' + p.level)}`;
  clearErrors($('#settings'));
  clearErrors($('#chain-form'));
  $('#limit-unit').value = p.limit.unit;
  $('#limit-value').value = COUNTING.has(p.limit.unit) ? p.limit.value : '';
  syncValue($('#limit-unit'), $('#limit-value'));
  $('#online-on').checked = !!p.online_limit;
  $('#online-unit').value = p.online_limit ? p.online_limit.unit : 'working_days';
  $('#online-value').value = p.online_limit && COUNTING.has(p.online_limit.unit) ? p.online_limit.value : '';
  syncOnline();
  $('#fee').value = p.fee_vnd === null ? '' : p.fee_vnd;
  $('#online-level').value = p.online_level;
  clear($('#lead')).append(...agencyOptions(p.agency && p.agency.code, t('procs.lead_receiving')));
  $('#is-active').checked = p.active;
  drawSteps(p.chain || []);
  for (const tr of $$('#rows tr')) tr.classList.toggle('selected', tr.dataset.code === p.code);
  $('#limit-value').disabled ? $('#limit-unit').focus() : $('#limit-value').focus();
}

function syncOnline() {
  const on = $('#online-on').checked;
  $('#online-unit').disabled = !on;
  if (on) syncValue($('#online-unit'), $('#online-value'));
  else $('#online-value').disabled = true;
}

function limitBody(unitSel, valueInput) {
  const unit = unitSel.value;
  return COUNTING.has(unit) ? { value: Number(valueInput.value), unit } : { value: 0, unit };
}

async function saveSettings(ev) {
  ev.preventDefault();
  const form = $('#settings');
  clearErrors(form);
  const fee = $('#fee').value.trim();
  const body = {
    limit: limitBody($('#limit-unit'), $('#limit-value')),
    online_limit: $('#online-on').checked ? limitBody($('#online-unit'), $('#online-value')) : null,
    fee_vnd: fee === '' ? null : Number(fee),
    online_level: $('#online-level').value,
    active: $('#is-active').checked,
    agency: $('#lead').value || null,
  };
  try {
    const p = await api('PUT', '/api/v1/procedures/' + encodeURIComponent(current.code), body);
    current = { ...current, ...p };
    flash($('#flash'), t('procs.saved', { code: p.code, limit: limitText(p.limit) }));
    $('#flash').focus();
    search();
    updateTotal();
  } catch (err) {
    showError(form, err);
  }
}

// ---- chain -------------------------------------------------------------------

function stepRow(s) {
  const li = h('li', { class: 'step-edit' });
  const agency = h('select', { class: 'step-agency', 'aria-label': t('procs.step_agency') },
    ...agencyOptions(s.agency && s.agency.code, t('procs.lead_receiving')));
  const task = h('input', { class: 'step-task', value: s.task || '', 'aria-label': t('procs.step_task'), maxlength: 80 });
  const hours = h('input', {
    class: 'step-hours', type: 'number', min: 0, inputmode: 'numeric', value: s.work_hours ?? 8,
    'aria-label': t('procs.step_hours'),
  });
  hours.addEventListener('input', updateTotal);
  const move = (dir) => {
    const sib = dir < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!sib) return;
    if (dir < 0) sib.before(li); else sib.after(li);
    renumber();
    $('.step-up', li).focus();
  };
  li.append(
    h('div', { class: 'step-fields' },
      h('label', {}, h('span', { class: 'small muted', text: t('procs.step_agency') }), agency),
      h('label', {}, h('span', { class: 'small muted', text: t('procs.step_task') }), task),
      h('label', {}, h('span', { class: 'small muted', text: t('procs.step_hours') }), hours)),
    h('div', { class: 'step-buttons' },
      h('button', { type: 'button', class: 'secondary small step-up', 'aria-label': t('procs.move_up'), onclick: () => move(-1), text: '↑' }),
      h('button', { type: 'button', class: 'secondary small', 'aria-label': t('procs.move_down'), onclick: () => move(1), text: '↓' }),
      h('button', { type: 'button', class: 'secondary small', 'aria-label': t('form.remove'), onclick: () => { li.remove(); renumber(); updateTotal(); }, text: '✕' })));
  return li;
}

function renumber() {
  $$('#steps > li').forEach((li, i) => {
    for (const [sel, f] of [['.step-agency', 'agency'], ['.step-task', 'task'], ['.step-hours', 'work_hours']]) {
      $(sel, li).dataset.field = `steps[${i}].${f}`;
    }
  });
}

function drawSteps(chain) {
  const list = clear($('#steps'));
  for (const s of chain) list.append(stepRow(s));
  renumber();
  updateTotal();
}

function updateTotal() {
  if (!current) return;
  const sum = $$('#steps .step-hours').reduce((a, i) => a + (Number(i.value) || 0), 0);
  const lim = current.limit;
  const limitH = lim.unit === 'working_hours' ? lim.value : lim.unit === 'working_days' ? lim.value * dayHours : null;
  const el = $('#chain-total');
  el.textContent = limitH === null ? t('procs.total', { n: fmtNumber(sum) })
    : t('procs.total_of', { n: fmtNumber(sum), limit: fmtNumber(limitH) });
  el.classList.toggle('danger-text', limitH !== null && sum > limitH);
}

async function saveChain(ev) {
  ev.preventDefault();
  const form = $('#chain-form');
  clearErrors(form);
  const steps = $$('#steps > li').map((li) => ({
    agency: $('.step-agency', li).value || null,
    task: $('.step-task', li).value.trim(),
    work_hours: Number($('.step-hours', li).value) || 0,
  }));
  try {
    const p = await api('PUT', `/api/v1/procedures/${encodeURIComponent(current.code)}/chain`, { steps });
    current = { ...current, ...p };
    drawSteps(p.chain);
    const warn = (p.warnings || []).map((w) => t('warning.' + w.code, w)).join(' ');
    flash($('#flash'), t('procs.chain_saved', { n: p.chain.length }) + (warn ? ' ' + warn : ''), warn ? 'warn' : 'ok');
    $('#flash').focus();
    search();
  } catch (err) {
    showError(form, err);
  }
}

async function init() {
  await start({ roles: ['admin'] });
  ({ items: agencies } = await api('GET', '/api/v1/agencies'));
  try {
    const cal = await api('GET', '/api/v1/calendar' + query({ year: new Date().getFullYear() }));
    const minutes = (cal.office_hours || []).reduce((a, s) => {
      const [b, e] = s.split('-').map((x) => x.split(':').reduce((m, v, i) => m + Number(v) * (i ? 1 : 60), 0));
      return a + (e - b);
    }, 0);
    if (minutes > 0) dayHours = minutes / 60;
  } catch (e) {
    // Keep the usual 8-hour day.
  }
  $('#limit-unit').append(...UNITS.map((u) => h('option', { value: u, text: t('unitname.' + u) })));
  $('#online-unit').append(...ONLINE_UNITS.map((u) => h('option', { value: u, text: t('unitname.' + u) })));
  $('#online-level').append(...LEVELS.map((l) => h('option', { value: l, text: t('online.' + l) })));
  $('#limit-unit').addEventListener('change', () => syncValue($('#limit-unit'), $('#limit-value')));
  $('#online-unit').addEventListener('change', () => syncValue($('#online-unit'), $('#online-value')));
  $('#online-on').addEventListener('change', syncOnline);
  $('#settings').addEventListener('submit', saveSettings);
  $('#chain-form').addEventListener('submit', saveChain);
  $('#add-step').addEventListener('click', () => {
    const li = stepRow({ agency: null, task: '', work_hours: 8 });
    $('#steps').append(li);
    renumber();
    updateTotal();
    $('.step-agency', li).focus();
  });
  $('#search').addEventListener('submit', (ev) => { ev.preventDefault(); search(); });
  $('#q').addEventListener('input', search);
  $('#active').addEventListener('change', search);
  const code = new URLSearchParams(location.search).get('code');
  if (code) {
    $('#q').value = code;
    open(code);
  }
  search();
}

init().catch(() => {});
