// motcua — the feedback queue (phản ánh, kiến nghị): the items in the
// user's scope, most urgent first (the API orders by the 15-working-day
// deadline), filtered by state, overdue and "assigned to me", searched by
// code or subject, paged with the API's cursor. Choosing an item opens its
// panel: the text, the sender's contact (unless anonymous), the answer and
// the milestones, and the actions the server allows now (assign, answer
// in public or private, close, transfer), each with its own small form.
// Filters and the open item live in the address, so the back button and
// bookmarks work.

import { api, query } from '/js/api.js';
import { t, fmtDateTime } from '/js/i18n.js';
import '/i18n/staff-citizen.js';
import { start } from '/js/staff/shell.js';
import {
  h, $, $$, clear, put, clearErrors, setFieldError, normalizeField, errorText, flash, dl, roleLabel,
} from '/js/staff/dom.js';

const PAGE = 50;
// "all" in the address means no state filter; the default is the open ones.
const STATES = ['open', 'received', 'in_progress', 'answered', 'closed', 'all'];
const STATE_TONE = { received: 'info', in_progress: 'warn', answered: 'ok', closed: 'neutral' };
const ACTIONS = ['assign', 'answer', 'transfer', 'close'];

let user = null;
let cursors = [null];
let page = 0;
let item = null;		// the open item as the server last returned it
let current = null;		// the action whose form is open
let agencyList = null;		// for transfers, fetched once
let listSeq = 0;		// only the latest list request is drawn
let showAgency = true;		// managers, admins, auditors see several agencies

// ---- the address ------------------------------------------------------------

function params() {
  const p = new URLSearchParams(location.search);
  const state = STATES.includes(p.get('state')) ? p.get('state') : 'open';
  return {
    q: p.get('q') || '', state, overdue: p.get('overdue') === 'true', mine: p.get('mine') === 'true',
    code: p.get('code') || '',
  };
}

function href(next) {
  const p = new URLSearchParams();
  if (next.q) p.set('q', next.q);
  if (next.state && next.state !== 'open') p.set('state', next.state);
  if (next.overdue) p.set('overdue', 'true');
  if (next.mine) p.set('mine', 'true');
  if (next.code) p.set('code', next.code);
  const s = p.toString();
  return location.pathname + (s ? '?' + s : '');
}

// Resolves once the item's panel is drawn.
function go(next, { list = true } = {}) {
  history.pushState(null, '', href(next));
  if (list) {
    cursors = [null];
    page = 0;
    loadList();
  }
  return showItem(next.code);
}

// ---- labels ---------------------------------------------------------------------

function stateBadge(state) {
  return h('span', { class: 'badge ' + (STATE_TONE[state] || 'neutral'), text: t('fbstate.' + state) });
}

function badges(f) {
  const out = [stateBadge(f.state)];
  if (f.overdue) out.push(h('span', { class: 'badge danger', text: t('fb.overdue') }));
  if (f.on_time === true) out.push(h('span', { class: 'badge ok', text: t('fb.on_time') }));
  if (f.on_time === false) out.push(h('span', { class: 'badge danger', text: t('fb.late') }));
  return out;
}

// A feedback-specific message when the catalogue has one, else the staff
// app's message for the code.
function fbErrorText(err) {
  const key = 'fb.error.' + (err && err.code);
  const s = t(key, { detail: (err && err.message) || '' });
  return s !== key ? s : errorText(err);
}

// Show err next to the control it names, else in the form's error box.
function showFormError(form, field, message) {
  clearErrors(form);
  const control = field ? form.querySelector(`[data-field="${CSS.escape(field)}"]`) : null;
  if (control) {
    setFieldError(control, message);
    control.focus();
    return;
  }
  const box = form.querySelector('[data-role="form-error"]');
  box.textContent = message;
  box.hidden = false;
  box.focus();
}

// ---- the list ----------------------------------------------------------------------

function row(f, open) {
  const cls = [f.overdue ? 'overdue' : '', f.code === open ? 'selected' : ''].join(' ').trim();
  const link = h('a', {
    class: 'code', href: href({ ...params(), code: f.code }), text: f.code,
    'aria-current': f.code === open ? 'true' : null,
    onclick: (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      markSelected(f.code);
      // Keyboard and screen-reader users land on what they opened.
      go({ ...params(), code: f.code }, { list: false }).then(() => $('#item').focus());
    },
  });
  return h('tr', { class: cls || null, 'data-code': f.code },
    h('td', { class: 'nowrap' }, link,
      h('div', { class: 'muted small', text: t('fb.kind.' + f.kind) })),
    h('td', {}, h('span', { class: 'clip', title: f.subject, text: f.subject })),
    showAgency ? h('td', {}, h('span', { class: 'clip', title: f.agency.name, text: f.agency.name })) : null,
    h('td', { class: 'nowrap col-received' }, fmtDateTime(f.received_at)),
    h('td', { class: 'nowrap' }, fmtDateTime(f.due_at),
      f.overdue ? h('div', {}, h('span', { class: 'badge danger', text: t('fb.overdue') })) : null),
    h('td', {}, stateBadge(f.state)),
    h('td', {}, f.assignee || h('span', { class: 'muted', text: t('fb.unassigned') })));
}

function markSelected(code) {
  for (const tr of $$('#rows tr[data-code]')) {
    const on = tr.dataset.code === code;
    tr.classList.toggle('selected', on);
    const a = $('a.code', tr);
    if (on) a.setAttribute('aria-current', 'true');
    else a.removeAttribute('aria-current');
  }
}

function fillFilters(p) {
  const form = $('#filters');
  form.elements.q.value = p.q;
  form.elements.state.value = p.state;
  form.elements.overdue.checked = p.overdue;
  form.elements.mine.checked = p.mine;
}

async function loadList() {
  const p = params();
  fillFilters(p);
  const form = $('#filters');
  clearErrors(form);
  const q = { limit: PAGE, cursor: cursors[page], q: p.q };
  if (p.state !== 'all') q.state = p.state;
  if (p.overdue) q.overdue = 'true';
  if (p.mine) q.mine = 'true';
  const body = $('#rows');
  body.setAttribute('aria-busy', 'true');
  const seq = ++listSeq;
  try {
    const res = await api('GET', '/api/v1/feedback' + query(q));
    if (seq !== listSeq) return;
    clear(body);
    for (const f of res.items) body.append(row(f, p.code));
    if (!res.items.length) {
      body.append(h('tr', {}, h('td', { colspan: showAgency ? 7 : 6, class: 'empty', text: t('fb.empty') })));
    }
    cursors[page + 1] = res.next_cursor;
    $('#next').disabled = !res.next_cursor;
    $('#prev').disabled = page === 0;
    $('#page-no').textContent = t('fb.page', { n: page + 1 });
    $('#summary').textContent = t('fb.summary', { n: res.items.length, overdue: res.items.filter((f) => f.overdue).length });
  } catch (err) {
    if (seq !== listSeq) return;
    clear(body);
    showFormError(form, normalizeField(err.field), errorText(err));
  } finally {
    if (seq === listSeq) body.removeAttribute('aria-busy');
  }
}

// ---- the item --------------------------------------------------------------------------

function contactBlock(f) {
  if (f.anonymous) return h('p', { class: 'muted', 'data-testid': 'feedback-contact', text: t('fb.anonymous') });
  const c = f.contact || {};
  return h('div', { 'data-testid': 'feedback-contact' }, dl([
    [t('fb.contact_name'), c.name],
    [t('fb.contact_phone'), c.phone ? h('a', { href: 'tel:' + c.phone, text: c.phone }) : null],
    [t('fb.contact_email'), c.email ? h('a', { href: 'mailto:' + c.email, text: c.email }) : null],
  ]));
}

// The milestones the item itself records, in time order.
function milestones(f) {
  const steps = [{ at: f.received_at, text: t('fb.h_received') }];
  if (f.answered_at) {
    steps.push({
      at: f.answered_at,
      text: t('fb.h_answered', {
        visibility: t(f.answer_public ? 'fb.public_short' : 'fb.private_short'), who: f.answered_by || '',
      }),
      badge: f.on_time === false ? ['danger', 'fb.late'] : f.on_time ? ['ok', 'fb.on_time'] : null,
    });
  }
  if (f.closed_at) steps.push({ at: f.closed_at, text: t('fb.h_closed') + (f.close_reason ? ': ' + f.close_reason : '') });
  steps.sort((a, b) => String(a.at).localeCompare(String(b.at)));
  const list = h('ol', { class: 'timeline', 'data-testid': 'feedback-history' });
  for (const s of steps) {
    list.append(h('li', { class: 'event' },
      h('div', { class: 'event-head' },
        h('time', { datetime: s.at, text: fmtDateTime(s.at) }),
        h('span', { text: s.text }),
        s.badge ? h('span', { class: 'badge ' + s.badge[0], text: t(s.badge[1]) }) : null)));
  }
  if (f.assignee && (f.state === 'received' || f.state === 'in_progress')) {
    list.append(h('li', { class: 'event' }, h('div', { class: 'event-head' },
      h('span', { class: 'muted', text: '—' }), h('span', { text: t('fb.h_assigned', { who: f.assignee }) }))));
  }
  if (f.state === 'received' || f.state === 'in_progress') {
    list.append(h('li', { class: 'event' + (f.overdue ? ' overdue' : '') }, h('div', { class: 'event-head' },
      h('time', { datetime: f.due_at, text: fmtDateTime(f.due_at) }),
      h('span', { text: t('fb.h_due') }),
      f.overdue ? h('span', { class: 'badge danger', text: t('fb.overdue') }) : null)));
  }
  return list;
}

function renderItem(f) {
  item = f;
  $('#i-code').textContent = f.code;
  put($('#i-badges'), badges(f), h('span', { class: 'badge neutral', text: t('fb.kind.' + f.kind) }));
  put($('#i-body'),
    dl([
      [t('fb.agency'), [f.agency.name, ' ', h('span', { class: 'muted small code', text: f.agency.code })]],
      [t('fb.dossier'), f.dossier ? h('a', { class: 'code', href: '/staff/dossier?code=' + encodeURIComponent(f.dossier), text: f.dossier }) : null],
      [t('fb.received'), fmtDateTime(f.received_at)],
      [t('fb.due'), h('span', { 'data-testid': 'feedback-due' }, fmtDateTime(f.due_at),
        f.overdue ? [' ', h('span', { class: 'badge danger', text: t('fb.overdue') })] : null)],
      [t('fb.assignee'), f.assignee || h('span', { class: 'muted', text: t('fb.unassigned') })],
    ]),
    h('h3', { text: t('fb.subject') }),
    h('p', { class: 'fb-subject', 'data-testid': 'feedback-subject', text: f.subject }),
    h('h3', { text: t('fb.content') }),
    h('p', { class: 'fb-text', 'data-testid': 'feedback-content', text: f.content }),
    h('h3', { text: t('fb.contact') }),
    contactBlock(f),
    f.answer ? [
      h('h3', { text: t('fb.answer') }),
      h('div', { class: 'fb-answer', 'data-testid': 'feedback-answer' },
        h('p', { class: 'fb-text', text: f.answer }),
        h('p', { class: 'muted small' },
          h('span', { class: 'badge ' + (f.answer_public ? 'info' : 'neutral'), text: t(f.answer_public ? 'fb.answer_public' : 'fb.answer_private') }),
          ' ', t('fb.answered_by', { at: fmtDateTime(f.answered_at), who: f.answered_by || '' }))),
    ] : null,
    f.closed_at && f.close_reason ? [h('h3', { text: t('fb.close_reason') }), h('p', { class: 'fb-text', text: f.close_reason })] : null,
    h('h3', { text: t('fb.history') }),
    h('p', { class: 'muted small', text: t('fb.history_note') }),
    milestones(f));
  renderActions(f);
}

function renderActions(f) {
  const box = clear($('#i-actions'));
  const acts = ACTIONS.filter((a) => (f.allowed_actions || []).includes(a));
  if (!acts.length) {
    box.append(h('p', { class: 'muted', text: t('fb.no_actions') }));
    return;
  }
  for (const a of acts) {
    box.append(h('button', {
      type: 'button', class: a === 'close' ? 'secondary danger-outline' : 'secondary', 'data-action': a,
      onclick: () => openAction(a), text: t('fbaction.' + a),
    }));
  }
}

async function showItem(code) {
  closeAction();
  const panel = $('#item');
  $('#fb-layout').classList.toggle('with-item', !!code);
  flash($('#i-flash'), '');
  if (!code) {
    panel.hidden = true;
    item = null;
    return;
  }
  panel.hidden = false;
  const box = $('#i-error');
  box.hidden = true;
  try {
    renderItem(await api('GET', '/api/v1/feedback/' + encodeURIComponent(code)));
    $('#i-body').hidden = false;
  } catch (err) {
    item = null;
    $('#i-code').textContent = code;
    clear($('#i-badges'));
    clear($('#i-actions'));
    $('#i-body').hidden = true;
    box.textContent = err.status === 404 ? t('fb.not_found') : errorText(err);
    box.hidden = false;
  }
}

// ---- actions ------------------------------------------------------------------------------

function label(forId, key, required) {
  return h('label', { for: forId }, t(key), required ? h('span', { class: 'req', text: ' *' }) : null);
}

async function officerOptions(select, agency) {
  try {
    const res = await api('GET', `/api/v1/agencies/${encodeURIComponent(agency.code)}/officers`);
    for (const o of res.items) {
      select.append(h('option', { value: o.username, text: `${o.full_name} (${o.username}, ${roleLabel(o.role)})` }));
    }
  } catch (err) {
    setFieldError(select, errorText(err));
  }
}

async function agencyOptions(select, except) {
  try {
    if (!agencyList) agencyList = (await api('GET', '/api/v1/agencies')).items;
    const today = new Date().toISOString().slice(0, 10);
    for (const a of agencyList) {
      if (a.code === except || (a.valid_to && a.valid_to < today)) continue;
      select.append(h('option', { value: a.code, text: `${a.name} (${a.code})` }));
    }
  } catch (err) {
    setFieldError(select, errorText(err));
  }
}

function fields(a, f) {
  switch (a) {
  case 'assign': {
    const select = h('select', { id: 'fa-assignee', name: 'assignee', 'data-field': 'assignee', required: true },
      h('option', { value: '', text: t('fb.f_assignee_choose') }));
    officerOptions(select, f.agency);
    return [label('fa-assignee', 'fb.f_assignee', true), select];
  }
  case 'answer':
    return [
      label('fa-answer', 'fb.f_answer', true),
      h('textarea', { id: 'fa-answer', name: 'answer', rows: 6, 'data-field': 'answer', required: true }),
      h('fieldset', { class: 'choice', id: 'fa-visibility', 'data-field': 'public', tabindex: '-1' },
        h('legend', {}, t('fb.f_visibility'), h('span', { class: 'req', text: ' *' })),
        h('label', { class: 'inline' }, h('input', { type: 'radio', name: 'public', value: 'true', id: 'fa-public' }), t('fb.answer_public')),
        h('label', { class: 'inline' }, h('input', { type: 'radio', name: 'public', value: 'false', id: 'fa-private' }), t('fb.answer_private'))),
    ];
  case 'close': {
    const required = f.state !== 'answered';
    return [
      label('fa-reason', 'fb.f_reason', required),
      h('textarea', { id: 'fa-reason', name: 'reason', rows: 3, 'data-field': 'reason', required }),
      required ? h('div', { class: 'hint', text: t('fb.f_reason_hint_close') }) : null,
    ];
  }
  case 'transfer': {
    const select = h('select', { id: 'fa-agency', name: 'agency_code', 'data-field': 'agency_code', required: true },
      h('option', { value: '', text: t('fb.f_agency_choose') }));
    agencyOptions(select, f.agency.code);
    return [
      label('fa-agency', 'fb.f_agency', true), select,
      label('fa-reason', 'fb.f_transfer_reason', false),
      h('textarea', { id: 'fa-reason', name: 'reason', rows: 2, 'data-field': 'reason' }),
    ];
  }
  default:
    return [];
  }
}

function openAction(a) {
  current = a;
  const form = $('#i-form');
  clearErrors(form);
  $('#i-form-title').textContent = t('fbaction.' + a);
  put($('#i-fields'), fields(a, item).filter(Boolean));
  const submit = $('#i-submit');
  submit.textContent = t('fb.confirm', { action: t('fbaction.' + a) });
  submit.className = a === 'close' ? 'danger' : '';
  for (const b of $$('#i-actions button')) b.setAttribute('aria-pressed', b.dataset.action === a ? 'true' : 'false');
  form.hidden = false;
  const first = form.querySelector('textarea, input, select');
  (first || submit).focus();
}

function closeAction() {
  current = null;
  $('#i-form').hidden = true;
  for (const b of $$('#i-actions button')) b.removeAttribute('aria-pressed');
}

// The body in the API's shape, or [field, message] for what is missing.
function actionBody(form) {
  const val = (n) => (form.elements[n] ? form.elements[n].value.trim() : '');
  const body = { action: current };
  switch (current) {
  case 'assign':
    if (!val('assignee')) return [null, 'assignee', t('fb.v_assignee')];
    body.assignee = val('assignee');
    break;
  case 'answer': {
    if (!val('answer')) return [null, 'answer', t('fb.v_answer')];
    const choice = form.querySelector('input[name=public]:checked');
    if (!choice) return [null, 'public', t('fb.v_visibility')];
    body.answer = val('answer');
    body.public = choice.value === 'true';
    break;
  }
  case 'close':
    if (!val('reason') && item.state !== 'answered') return [null, 'reason', t('fb.v_reason')];
    if (val('reason')) body.reason = val('reason');
    break;
  case 'transfer':
    if (!val('agency_code')) return [null, 'agency_code', t('fb.v_agency')];
    body.agency_code = val('agency_code');
    if (val('reason')) body.reason = val('reason');
    break;
  default:
    break;
  }
  return [body];
}

async function submitAction(ev) {
  ev.preventDefault();
  const form = $('#i-form');
  clearErrors(form);
  const [body, field, message] = actionBody(form);
  if (!body) {
    showFormError(form, field, message);
    return;
  }
  const btn = $('#i-submit');
  btn.disabled = true;
  try {
    let f = await api('POST', `/api/v1/feedback/${encodeURIComponent(item.code)}/actions`, body);
    const done = t('fbaction.' + current);
    let gone = false;
    if (current === 'transfer') {
      // Transferred out of the user's scope: nothing more to do with it here.
      try {
        f = await api('GET', '/api/v1/feedback/' + encodeURIComponent(f.code));
      } catch (err) {
        if (err.status !== 404) throw err;
        f = { ...f, allowed_actions: [] };
        gone = true;
      }
    }
    closeAction();
    renderItem(f);
    const box = $('#i-flash');
    flash(box, t('fb.done', { action: done, state: t('fbstate.' + f.state) })
      + (gone ? ' ' + t('fb.gone', { agency: f.agency.name }) : ''));
    box.focus();
    loadList();
  } catch (err) {
    showFormError(form, normalizeField(err.field), fbErrorText(err));
  } finally {
    btn.disabled = false;
  }
}

// ---- start ---------------------------------------------------------------------------------

async function init() {
  user = await start();
  document.title = t('fb.title') + ' — ' + t('shell.brand');
  // Clerks and officers work their own agency's queue only.
  showAgency = !['clerk', 'officer'].includes(user.role);
  $('#th-agency').hidden = !showAgency;
  const state = $('#f-state');
  state.append(...STATES.map((s) => h('option', {
    value: s, text: s === 'open' ? t('fb.state_open') : s === 'all' ? t('fb.state_all') : t('fbstate.' + s),
  })));
  // Admins and auditors read the queue of every agency but are never assignees.
  if (!['clerk', 'officer', 'manager'].includes(user.role)) $('#f-mine').closest('label').hidden = true;
  const form = $('#filters');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go({
      q: form.elements.q.value.trim(), state: form.elements.state.value,
      overdue: form.elements.overdue.checked, mine: form.elements.mine.checked, code: params().code,
    });
  });
  for (const k of ['state', 'overdue', 'mine']) form.elements[k].addEventListener('change', () => form.requestSubmit());
  $('#f-reset').addEventListener('click', () => go({ code: params().code }));
  $('#next').addEventListener('click', () => { page++; loadList(); });
  $('#prev').addEventListener('click', () => { if (page > 0) { page--; loadList(); } });
  $('#item-close').addEventListener('click', () => {
    const code = params().code;
    go({ ...params(), code: '' }, { list: false });
    markSelected('');
    const back = $(`#rows tr[data-code="${CSS.escape(code)}"] a.code`);
    if (back) back.focus();
  });
  const itemForm = $('#i-form');
  itemForm.addEventListener('submit', submitAction);
  $('#i-cancel').addEventListener('click', closeAction);
  itemForm.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeAction(); });
  window.addEventListener('popstate', () => {
    cursors = [null];
    page = 0;
    loadList();
    showItem(params().code);
  });
  loadList();
  showItem(params().code);
}

init().catch(() => {});
