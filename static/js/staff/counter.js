// motcua — counter intake: the clerk finds the procedure as they type,
// fills the applicant (checked as they go), ticks the document checklist,
// sees the appointment the citizen will be given, receives the dossier
// and prints Form 01 with one click. Everything works from the keyboard:
// type, ↓/Enter to pick, Tab through the fields, Ctrl+Enter to receive.

import { api, query } from '/js/api.js';
import { t, fmtDateTime, fmtNumber } from '/js/i18n.js';
import { start } from '/js/staff/shell.js';
import {
  h, $, $$, clear, put, showError, clearErrors, setFieldError, limitText, debounce, errorText,
} from '/js/staff/dom.js';

const KINDS = ['original', 'certified_copy', 'copy'];

let procLevel = '';		// the level of procedures this one-stop receives
let selected = null;		// the chosen procedure (full, with documents)
let options = [];		// current search results
let active = -1;		// highlighted result
let previewTimer = null;
let searchSeq = 0;

// ---- validation as you go (the server checks the same rules) ------------

export const RULES = {
  'applicant.name': (v) => (v.trim() ? null : 'validate.name_required'),
  'applicant.id_number': (v) => {
    const s = v.replace(/\s+/g, '');
    if (!s) return 'validate.id_required';
    return /^(\d{9}|\d{12}|\d{10}(-\d{3})?)$/.test(s) ? null : 'validate.id_format';
  },
  'applicant.phone': (v) => {
    const s = cleanPhone(v);
    if (!s) return null;
    return /^(0\d{9,10}|\+84\d{9,10})$/.test(s) ? null : 'validate.phone_format';
  },
  'applicant.email': (v) => {
    const s = v.trim();
    if (!s) return null;
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? null : 'validate.email_format';
  },
};

function cleanPhone(v) {
  return v.replace(/[\s.\-()]/g, '');
}

function check(input) {
  const rule = RULES[input.dataset.field];
  if (!rule) return true;
  const problem = rule(input.value);
  setFieldError(input, problem ? t(problem) : '');
  return !problem;
}

function wireValidation() {
  for (const input of $$('#intake [data-field^="applicant."]')) {
    // Quiet while the clerk is still typing a field for the first time;
    // once left (or once wrong), re-checked on every keystroke.
    input.addEventListener('blur', () => { input.dataset.touched = '1'; check(input); });
    input.addEventListener('input', () => { if (input.dataset.touched || input.getAttribute('aria-invalid')) check(input); });
  }
}

// ---- the procedure combobox ----------------------------------------------

function closeList() {
  const list = $('#proc-list');
  list.hidden = true;
  $('#proc-q').setAttribute('aria-expanded', 'false');
  $('#proc-q').removeAttribute('aria-activedescendant');
  active = -1;
}

function highlight(i) {
  const items = $$('#proc-list [role=option]');
  if (!items.length) return;
  active = (i + items.length) % items.length;
  items.forEach((el, k) => el.setAttribute('aria-selected', k === active ? 'true' : 'false'));
  $('#proc-q').setAttribute('aria-activedescendant', items[active].id);
  items[active].scrollIntoView({ block: 'nearest' });
}

function renderOptions() {
  const list = clear($('#proc-list'));
  if (!options.length) {
    list.append(h('li', { class: 'empty', role: 'option', 'aria-disabled': 'true', text: t('counter.no_match') }));
  }
  options.forEach((p, i) => {
    list.append(h('li', {
      id: 'opt-' + i, role: 'option', 'aria-selected': 'false', dataset: { code: p.code },
      onmousedown: (ev) => { ev.preventDefault(); choose(p.code); },
    },
    h('span', { class: 'opt-code', text: p.code }),
    h('span', { class: 'opt-name', text: p.name }),
    h('span', { class: 'opt-meta', text: `${p.field} · ${limitText(p.limit)}` })));
  });
  list.hidden = false;
  $('#proc-q').setAttribute('aria-expanded', 'true');
  if (options.length) highlight(0);
}

const search = debounce(async () => {
  const q = $('#proc-q').value.trim();
  const seq = ++searchSeq;
  if (q.length < 1) {
    closeList();
    return;
  }
  try {
    const res = await api('GET', '/api/v1/procedures' + query({ q, level: procLevel, limit: 15 }));
    if (seq !== searchSeq) return;	// an older answer arriving late
    options = res.items;
    renderOptions();
  } catch (err) {
    setFieldError($('#proc-q'), errorText(err));
  }
}, 150);

async function choose(code) {
  closeList();
  const input = $('#proc-q');
  setFieldError(input, '');
  try {
    selected = await api('GET', '/api/v1/procedures/' + encodeURIComponent(code));
  } catch (err) {
    setFieldError(input, errorText(err));
    return;
  }
  input.value = `${selected.code} — ${selected.name}`;
  input.dataset.chosen = selected.code;
  renderProcedure();
  renderChecklist(selected.documents);
  refreshPreview();
  $('#a-name').focus();
}

function renderProcedure() {
  const box = clear($('#proc-info'));
  const p = selected;
  box.append(
    h('p', { class: 'proc-name', text: p.name }),
    h('ul', { class: 'proc-facts' },
      h('li', {}, t('procedure.field') + ': ', p.field),
      h('li', {}, t('procedure.limit') + ': ', h('strong', { text: limitText(p.limit) }),
        p.online_limit ? ` (${t('procedure.online')}: ${limitText(p.online_limit)})` : ''),
      h('li', {}, t('procedure.fee') + ': ', p.fee_vnd === null ? t('procedure.fee_unknown')
        : p.fee_vnd === 0 ? t('procedure.fee_free') : fmtNumber(p.fee_vnd) + ' ₫'),
      p.chain && p.chain.length
        ? h('li', {}, t('procedure.chain') + ': ', p.chain.map((s) => (s.agency ? s.agency.name : t('procedure.receiving_agency'))).join(' → '))
        : null));
  box.hidden = false;
}

// ---- checklist -------------------------------------------------------------

function docRow(doc) {
  const name = h('input', { class: 'doc-name', value: doc.name || '', 'aria-label': t('counter.doc_name') });
  const received = h('input', { type: 'checkbox', class: 'doc-received', checked: doc.received !== false });
  const label = () => t('counter.doc_received_of', { name: name.value || t('counter.doc_unnamed') });
  received.setAttribute('aria-label', label());
  name.addEventListener('change', () => received.setAttribute('aria-label', label()));
  const kind = h('select', { class: 'doc-kind', 'aria-label': t('counter.doc_kind') },
    KINDS.map((k) => h('option', { value: k, selected: k === doc.kind, text: t('kind.' + k) })));
  const count = h('input', {
    class: 'doc-count', type: 'number', min: 1, max: 100, value: doc.count || 1,
    inputmode: 'numeric', 'aria-label': t('counter.doc_count'),
  });
  const row = h('tr', { class: doc.required ? 'required' : '' },
    h('td', {}, received),
    h('td', {}, name, doc.required ? h('span', { class: 'hint', text: t('counter.doc_required') }) : null),
    h('td', {}, kind),
    h('td', {}, count),
    h('td', {}, h('button', {
      type: 'button', class: 'link danger-link', 'aria-label': t('counter.doc_remove'),
      onclick: () => { row.remove(); },
      text: '✕',
    })));
  return row;
}

function renderChecklist(docs) {
  const body = clear($('#docs'));
  for (const d of docs || []) body.append(docRow({ ...d, received: true }));
}

function collectDocuments() {
  const out = [];
  for (const row of $$('#docs tr')) {
    const name = $('.doc-name', row);
    const count = $('.doc-count', row);
    name.removeAttribute('data-field');
    count.removeAttribute('data-field');
    if (!$('.doc-received', row).checked) continue;
    const i = out.length;
    name.dataset.field = `documents[${i}].name`;
    count.dataset.field = `documents[${i}].count`;
    out.push({ name: name.value.trim(), kind: $('.doc-kind', row).value, count: Number(count.value) || 1 });
  }
  return out;
}

// ---- appointment preview -----------------------------------------------------

function channel() {
  return $('input[name=channel]:checked').value;
}

async function refreshPreview() {
  clearTimeout(previewTimer);
  const box = $('#preview');
  if (!selected) return;
  try {
    const d = await api('GET', '/api/v1/deadline' + query({ procedure: selected.code, channel: channel() }));
    put(box,
      d.due_at
        ? h('p', { class: 'due-big', 'data-testid': 'preview-due', text: fmtDateTime(d.due_at) })
        : h('p', { class: 'due-big', 'data-testid': 'preview-due', text: t('counter.no_due') }),
      h('dl', { class: 'facts' },
        h('dt', { text: t('procedure.limit') }), h('dd', { text: limitText(d.limit) }),
        h('dt', { text: t('counter.received_now') }), h('dd', { text: fmtDateTime(d.received_at) }),
        h('dt', { text: t('counter.clock_starts') }), h('dd', { text: fmtDateTime(d.clock_starts_at) })),
      (d.warnings || []).map((w) => h('p', { class: 'notice warn', text: t('warning.' + w.code, w) })));
  } catch (err) {
    clear(box).append(h('p', { class: 'notice danger', text: errorText(err) }));
  }
  // Time passes at the counter: keep the promise current.
  previewTimer = setTimeout(refreshPreview, 60000);
}

// ---- submit ----------------------------------------------------------------------

function validateAll() {
  let first = null;
  if (!selected || $('#proc-q').dataset.chosen !== selected.code) {
    setFieldError($('#proc-q'), t('validate.procedure_required'));
    first = $('#proc-q');
  }
  for (const input of $$('#intake [data-field^="applicant."]')) {
    input.dataset.touched = '1';
    if (!check(input) && !first) first = input;
  }
  return first;
}

async function submit(ev) {
  if (ev) ev.preventDefault();
  const form = $('#intake');
  clearErrors(form);
  const bad = validateAll();
  if (bad) {
    bad.focus();
    return;
  }
  const applicant = {
    name: $('#a-name').value.trim(),
    id_number: $('#a-id').value.replace(/\s+/g, ''),
  };
  const phone = cleanPhone($('#a-phone').value);
  if (phone) applicant.phone = phone;
  for (const [key, sel] of [['email', '#a-email'], ['address', '#a-address']]) {
    const v = $(sel).value.trim();
    if (v) applicant[key] = v;
  }
  const body = { procedure_code: selected.code, channel: channel(), applicant, documents: collectDocuments() };
  const note = $('#note').value.trim();
  if (note) body.note = note;
  const btn = $('#submit');
  btn.disabled = true;
  try {
    const d = await api('POST', '/api/v1/dossiers', body);
    showDone(d);
  } catch (err) {
    showError(form, err);
  } finally {
    btn.disabled = false;
  }
}

function showDone(d) {
  clearTimeout(previewTimer);
  $('#done-code').textContent = d.code;
  $('#done-due').textContent = d.appointment_at ? fmtDateTime(d.appointment_at) : t('counter.no_due');
  $('#print-01').href = `/forms/${encodeURIComponent(d.code)}/01`;
  $('#open-dossier').href = '/staff/dossier?code=' + encodeURIComponent(d.code);
  $('#intake').hidden = true;
  const done = $('#done');
  done.hidden = false;
  $('#print-01').focus();
}

function reset() {
  const form = $('#intake');
  form.reset();
  clearErrors(form);
  for (const input of $$('[data-touched]', form)) delete input.dataset.touched;
  selected = null;
  delete $('#proc-q').dataset.chosen;
  clear($('#docs'));
  $('#proc-info').hidden = true;
  clear($('#preview')).append(h('p', { class: 'muted', text: t('counter.preview_empty') }));
  $('#done').hidden = true;
  form.hidden = false;
  $('#proc-q').focus();
}

// ---- wiring ------------------------------------------------------------------------

async function init() {
  const user = await start({ roles: ['clerk'] });
  // Commune one-stops receive commune procedures; the provincial centre
  // and departments receive the province's.
  try {
    const { items } = await api('GET', '/api/v1/agencies');
    const mine = items.find((a) => a.code === user.agency.code);
    procLevel = mine && mine.level === 'commune' ? 'commune' : 'province';
  } catch (e) {
    procLevel = '';
  }
  const input = $('#proc-q');
  input.addEventListener('input', () => {
    if (input.dataset.chosen) {
      delete input.dataset.chosen;
      selected = null;
      $('#proc-info').hidden = true;
    }
    search();
  });
  input.addEventListener('keydown', (ev) => {
    const open = !$('#proc-list').hidden;
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      if (open) highlight(active + 1); else search();
    } else if (ev.key === 'ArrowUp' && open) {
      ev.preventDefault();
      highlight(active - 1);
    } else if (ev.key === 'Enter' && open) {
      ev.preventDefault();
      if (active >= 0 && options[active]) choose(options[active].code);
    } else if (ev.key === 'Escape' && open) {
      ev.preventDefault();
      closeList();
    }
  });
  input.addEventListener('blur', () => setTimeout(closeList, 150));
  for (const r of $$('input[name=channel]')) r.addEventListener('change', refreshPreview);
  $('#add-doc').addEventListener('click', () => {
    const row = docRow({ name: '', kind: 'copy', count: 1 });
    $('#docs').append(row);
    $('.doc-name', row).focus();
  });
  const form = $('#intake');
  form.addEventListener('submit', submit);
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) submit(ev);
  });
  $('#next-intake').addEventListener('click', reset);
  wireValidation();
  input.focus();
}

init().catch(() => {});
