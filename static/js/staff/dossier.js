// motcua — one dossier: its summary, the inter-agency chain with each
// step's status, the history, the actions the user may take now (the
// server says which: allowed_actions) each with its own small form, and
// the forms to print. After an action the page shows the dossier as the
// server returned it, so what is on screen is always what was saved.
// An online submission shows its attached files (and, once accepted, its
// new code and Form 01); a returned dossier shows the citizen's rating or
// gives the one-time rating link to hand over.

import { api } from '/js/api.js';
import { t, lang, fmtDateTime, fmtNumber } from '/js/i18n.js';
import '/i18n/staff-citizen.js';
import { start } from '/js/staff/shell.js';
import {
  h, $, $$, clear, put, showError, clearErrors, stateBadge, dueBadges, limitText, channelLabel,
  roleLabel, resultBadge, dl, flash, errorText,
} from '/js/staff/dom.js';

let key = '';
let dossier = null;
let user = null;

// Inputs each action takes; "!" marks the ones it cannot do without.
const ACTION_FIELDS = {
  accept: ['note'],
  refuse: ['reason!', 'note'],
  transfer: ['assignee', 'note'],
  request_supplement: ['reason!', 'items!', 'note'],
  supplement_received: ['note'],
  request_payment: ['amount_vnd', 'note'],
  payment_received: ['amount_vnd', 'payment_method', 'note'],
  extend: ['reason!', 'new_appointment!', 'note'],
  withdraw_request: ['reason!', 'note'],
  withdraw_confirm: ['note'],
  resolve: ['result!', 'note'],
  return: ['return_method!', 'note'],
};
const DANGER = new Set(['refuse', 'withdraw_confirm']);
const KINDS = ['original', 'certified_copy', 'copy'];

// ---- rendering --------------------------------------------------------------

function renderHead(d) {
  $('#d-code').textContent = d.code || d.ref;
  document.title = `${d.code || d.ref} — ${t('shell.brand')}`;
  put($('#d-badges'), stateBadge(d.state), dueBadges(d),
    d.extension_count ? h('span', { class: 'badge neutral', text: t('flag.extended') }) : null);
  put($('#d-procedure'), h('span', { class: 'muted', text: d.procedure.code + ' · ' }), d.procedure.name);
}

function renderSummary(d) {
  const a = d.applicant;
  const due = d.due_at ? [fmtDateTime(d.due_at), ' ', dueBadges(d)] : t('dossier.no_due');
  put($('#summary'),
    h('div', { class: 'facts-2' },
      dl([
        [t('applicant.name'), a.name],
        [t('applicant.id_number'), a.id_number],
        [t('applicant.phone'), a.phone],
        [t('applicant.email'), a.email],
        [t('applicant.address'), a.address],
        [t('dossier.channel'), channelLabel(d.channel)],
        [t('dossier.receiving_agency'), d.receiving_agency && d.receiving_agency.name],
        [t('dossier.holder'), d.current_agency ? d.current_agency.name + (d.assignee ? ' · ' + d.assignee : '') : null],
      ]),
      dl([
        [t('dossier.submitted'), d.submitted_at && fmtDateTime(d.submitted_at)],
        [t('dossier.received'), d.received_at && fmtDateTime(d.received_at)],
        [t('procedure.limit'), limitText(d.limit)],
        [t('dossier.due'), h('span', { 'data-testid': 'dossier-due' }, due)],
        [t('dossier.appointment'), d.appointment_at && d.appointment_at !== d.due_at ? fmtDateTime(d.appointment_at) : null],
        [t('dossier.first_due'), d.first_due_at && d.first_due_at !== d.due_at ? fmtDateTime(d.first_due_at) : null],
        [t('dossier.extended'), d.extended_at && fmtDateTime(d.extended_at)],
        [t('dossier.paused'), d.paused_at && fmtDateTime(d.paused_at)],
        [t('dossier.supplement'), d.supplement_requested_at
          ? fmtDateTime(d.supplement_requested_at) + (d.supplement_returned_at ? ' → ' + fmtDateTime(d.supplement_returned_at) : '')
          : null],
        [t('dossier.resolved'), d.resolved_at ? [fmtDateTime(d.resolved_at), ' ', resultBadge(d.result)] : null],
        [t('dossier.returned'), d.returned_at ? fmtDateTime(d.returned_at) + (d.return_method ? ' · ' + t('method.' + d.return_method) : '') : null],
        [t('dossier.closed'), d.closed_at && fmtDateTime(d.closed_at)],
      ])),
    d.note ? h('p', { class: 'note' }, h('strong', { text: t('counter.s_note') + ': ' }), d.note) : null);
  const docs = clear($('#documents'));
  for (const doc of d.documents || []) {
    docs.append(h('li', {}, doc.name, h('span', { class: 'muted', text: ` — ${t('kind.' + doc.kind)} × ${doc.count}` })));
  }
  if (!(d.documents || []).length) docs.append(h('li', { class: 'muted', text: t('dossier.no_documents') }));
}

function renderChain(d) {
  const list = clear($('#chain'));
  for (const s of d.chain || []) {
    const tone = { done: 'ok', current: 'info', started: 'info', waiting: 'neutral' }[s.status] || 'neutral';
    list.append(h('li', { class: 'step step-' + s.status, 'aria-current': s.status === 'current' ? 'step' : null },
      h('div', { class: 'step-head' },
        h('span', { class: 'step-no', text: String(s.seq) }),
        h('strong', { text: s.agency.name }),
        h('span', { class: 'badge ' + tone, text: t('stepstatus.' + s.status) }),
        resultBadge(s.result)),
      h('div', { class: 'muted' }, s.task || '', s.work_hours ? ` · ${t('step.hours', { n: s.work_hours })}` : ''),
      h('div', { class: 'step-times' },
        s.assignee ? h('span', {}, t('step.assignee') + ': ', h('strong', { text: s.assignee })) : null,
        s.started_at ? h('span', { text: t('step.started') + ': ' + fmtDateTime(s.started_at) }) : null,
        s.due_at ? h('span', { text: t('step.due') + ': ' + fmtDateTime(s.due_at) }) : null,
        s.finished_at ? h('span', { text: t('step.finished') + ': ' + fmtDateTime(s.finished_at) }) : null)));
  }
  if (!(d.chain || []).length) list.append(h('li', { class: 'muted', text: t('dossier.no_chain') }));
}

function eventDetails(ev) {
  const x = ev.data || {};
  if (ev.action === 'rate') return rateDetails(x);
  const out = [];
  if (x.reason) out.push(h('div', {}, h('strong', { text: t('field.reason') + ': ' }), x.reason));
  if (x.items) {
    out.push(h('div', {}, h('strong', { text: t('field.items') + ':' }),
      h('ul', {}, x.items.map((i) => h('li', { text: `${i.name} (${t('kind.' + i.kind)})` })))));
  }
  if (x.new_appointment) out.push(h('div', { text: t('field.new_appointment') + ': ' + fmtDateTime(x.new_appointment) }));
  if (x.to_agency) out.push(h('div', { text: t('event.to_agency') + ': ' + x.to_agency }));
  if (x.assignee) out.push(h('div', { text: t('field.assignee') + ': ' + x.assignee }));
  if (x.summary) out.push(h('div', {}, h('strong', { text: t('field.result') + ': ' }), x.summary));
  if (x.result) out.push(resultBadge(x.result));
  if (x.method) out.push(h('div', { text: t('field.method') + ': ' + t('method.' + x.method) }));
  if (x.amount_vnd) out.push(h('div', { text: t('field.amount_vnd') + ': ' + fmtNumber(x.amount_vnd) + ' ₫' }));
  if (ev.note) out.push(h('div', { class: 'muted' }, t('field.note') + ': ', ev.note));
  return out;
}

async function renderTimeline() {
  const list = clear($('#timeline'));
  let items;
  try {
    ({ items } = await api('GET', `/api/v1/dossiers/${encodeURIComponent(key)}/events`));
  } catch (err) {
    list.append(h('li', { class: 'form-error', text: errorText(err) }));
    return;
  }
  for (const ev of items) {
    const label = t('event.' + ev.action);
    list.append(h('li', { class: 'event', 'data-action': ev.action },
      h('div', { class: 'event-head' },
        h('time', { datetime: ev.at, text: fmtDateTime(ev.at) }),
        h('strong', { text: label === 'event.' + ev.action ? ev.action : label }),
        ev.to_state && ev.to_state !== ev.from_state ? stateBadge(ev.to_state) : null),
      h('div', { class: 'muted small' },
        `${ev.actor} · ${roleLabel(ev.actor_role)}${ev.actor_agency ? ' · ' + ev.actor_agency : ''}`,
        ev.clock ? ` · ${t('clock.' + ev.clock)}` : ''),
      eventDetails(ev)));
  }
}

// Which of the printable forms fit this dossier now.
function renderForms(d) {
  const list = clear($('#forms'));
  const code = d.code;
  const apply = {
    '01': !!code,
    '02': d.supplement_count > 0,
    '03': d.state === 'not_accepted' || d.state === 'stopped',
    '04': d.extension_count > 0,
    '05': !!code,
  };
  for (const n of ['01', '02', '03', '04', '05']) {
    const label = t('form.f' + n);
    list.append(h('li', {}, apply[n] && code
      ? h('a', { href: `/forms/${encodeURIComponent(code)}/${n}`, target: '_blank', rel: 'noopener', 'data-form': n, text: label })
      : h('span', { class: 'muted', 'aria-disabled': 'true', title: t('form.not_applicable'), text: label })));
  }
}

// The citizen's rating as the history records it (scores, no comment).
function rateDetails(x) {
  const part = (key, v) => `${t('rating.' + key)}: ${v}`;
  return [
    h('div', { class: 'small' }, [
      part('time_score', `${x.time}/5`), part('trips', x.trips), part('attitude_score', `${x.attitude}/5`),
      part('result_score', `${x.result}/5`),
      part('unofficial_payment', t(x.unofficial_payment ? 'rating.yes' : 'rating.no')),
    ].join(' · ')),
    h('span', { class: 'badge ' + (x.dislike ? 'danger' : 'ok'), text: t(x.dislike ? 'rating.dislike' : 'rating.satisfied') }),
  ];
}

// ---- online submission: attached files ------------------------------------------

function sizeText(n) {
  const dec = (v) => new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 }).format(v);
  if (n < 1024) return t('att.bytes', { n: fmtNumber(n) });
  if (n < 1024 * 1024) return t('att.kib', { n: dec(n / 1024) });
  return t('att.mib', { n: dec(n / 1024 / 1024) });
}

async function renderAttachments(d) {
  const card = $('#attachments-card');
  $('#online-waiting').hidden = d.state !== 'submitted_online';
  card.hidden = d.channel !== 'online';
  if (card.hidden) return;
  const box = $('#attachments');
  let items;
  try {
    ({ items } = await api('GET', `/api/v1/dossiers/${encodeURIComponent(key)}/attachments`));
  } catch (err) {
    put(box, h('p', { class: 'form-error', text: errorText(err) }));
    return;
  }
  if (!items.length) {
    put(box, h('p', { class: 'muted', text: t('att.none') }));
    return;
  }
  put(box, h('div', { class: 'table-wrap' }, h('table', { class: 'list compact' },
    h('thead', {}, h('tr', {},
      ['att.name', 'att.type', 'att.size', 'att.sha'].map((k) => h('th', { scope: 'col', text: t(k) })),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('att.download') })))),
    h('tbody', {}, items.map((a) => h('tr', { 'data-n': String(a.n) },
      h('td', {}, h('strong', { class: 'att-name', text: a.name }),
        a.label ? h('div', { class: 'muted small', text: a.label }) : null,
        a.uploaded_at ? h('div', { class: 'muted small', text: t('att.uploaded', { at: fmtDateTime(a.uploaded_at) }) }) : null),
      h('td', { class: 'nowrap', text: a.type }),
      h('td', { class: 'nowrap num', text: sizeText(a.size) }),
      h('td', {}, h('span', { class: 'code', 'data-sha': a.sha256, title: t('att.sha_title', { sha: a.sha256 }), text: a.sha256.slice(0, 12) })),
      h('td', { class: 'nowrap' }, h('a', {
        class: 'button secondary small', href: a.url, download: a.name, 'data-testid': 'attachment-download',
        'aria-label': t('att.download_label', { name: a.name }), text: t('att.download'),
      }))))))));
}

// After the clerk accepts an online submission: its new code and Form 01.
function renderAccepted(d, ref) {
  const box = $('#accepted');
  const print = h('a', {
    class: 'button', href: `/forms/${encodeURIComponent(d.code)}/01`, target: '_blank', rel: 'noopener',
    'data-testid': 'accepted-form01', text: t('accepted.print'),
  });
  put(box,
    h('p', { class: 'accepted-title', text: t('accepted.title') }),
    h('p', { class: 'accepted-code' }, t('accepted.code', { code: '' }), h('strong', { class: 'code', 'data-testid': 'accepted-code', text: d.code })),
    h('p', { class: 'muted small', text: t('accepted.ref', { ref }) }),
    print);
  box.hidden = false;
  return print;
}

// ---- returned: the citizen's rating and the rating link ---------------------------

const LINK_ROLES = ['clerk', 'officer', 'manager'];

// Labels above their values: the side column is narrow.
function dlStacked(pairs) {
  const list = dl(pairs);
  list.classList.add('stacked');
  return list;
}

function scoreText(n) {
  return t('rating.score', { n, label: t('rating.s' + n) });
}

function scoreNode(n) {
  return h('span', { class: n <= 2 ? 'danger-text strong' : '', text: scoreText(n) });
}

async function renderRating(d) {
  const card = $('#rating-card');
  card.hidden = d.state !== 'returned';
  if (card.hidden) return;
  const box = $('#rating');
  clear($('#rating-link'));
  let r = null;
  try {
    r = await api('GET', `/api/v1/dossiers/${encodeURIComponent(key)}/rating`);
  } catch (err) {
    if (err.code !== 'not_rated') {
      put(box, h('p', { class: 'form-error', text: errorText(err) }));
      return;
    }
  }
  if (r) {
    put(box, h('div', { 'data-testid': 'rating' },
      h('p', {}, h('span', {
        class: 'badge ' + (r.dislike ? 'danger' : 'ok'), 'data-testid': 'rating-verdict',
        text: t(r.dislike ? 'rating.dislike' : 'rating.satisfied'),
      })),
      dlStacked([
        [t('rating.rated_at'), fmtDateTime(r.rated_at)],
        [t('rating.time_score'), scoreNode(r.time_score)],
        [t('rating.trips'), t('rating.trips_n', { n: r.trips })],
        [t('rating.attitude_score'), scoreNode(r.attitude_score)],
        [t('rating.result_score'), scoreNode(r.result_score)],
        [t('rating.unofficial_payment'), h('span', {
          class: r.unofficial_payment ? 'danger-text strong' : '', text: t(r.unofficial_payment ? 'rating.yes' : 'rating.no'),
        })],
        [t('rating.comment'), r.comment || null],
      ])));
    return;
  }
  put(box, h('p', { class: 'muted', 'data-testid': 'rating-none', text: t('rating.none') }));
  if (!user || !LINK_ROLES.includes(user.role)) return;
  const out = $('#rating-link');
  const button = h('button', {
    type: 'button', class: 'secondary', 'data-testid': 'rating-get-link', text: t('rating.get_link'),
    onclick: () => getRatingLink(button),
  });
  out.append(button, h('p', { class: 'hint', text: t('rating.link_hint') }), h('div', { id: 'rating-link-out' }));
}

async function copyFrom(el, status) {
  el.focus();
  el.select();
  let ok = false;
  try {
    await navigator.clipboard.writeText(el.value);
    ok = true;
  } catch (e) {
    try {
      ok = document.execCommand('copy');
    } catch (e2) {
      ok = false;
    }
  }
  flash(status, t(ok ? 'rating.copied' : 'rating.copy_failed'), ok ? 'ok' : 'warn');
}

async function getRatingLink(button) {
  const out = $('#rating-link-out');
  button.disabled = true;
  try {
    const res = await api('GET', `/api/v1/dossiers/${encodeURIComponent(key)}/rating-link`);
    const message = t('rating.message_text', { code: dossier.code || dossier.ref, url: res.url });
    const url = h('input', { id: 'rating-url', type: 'text', readonly: true, value: res.url, 'data-testid': 'rating-url', spellcheck: 'false' });
    const text = h('textarea', { id: 'rating-message', readonly: true, rows: 4, 'data-testid': 'rating-message' });
    text.value = message;
    const status = h('div', { class: 'flash', role: 'status', hidden: true, 'data-testid': 'rating-copied' });
    put(out,
      h('label', { for: 'rating-url', text: t('rating.link') }), url,
      h('div', { class: 'actions tight' },
        h('button', { type: 'button', class: 'secondary small', 'data-testid': 'copy-link', onclick: () => copyFrom(url, status), text: t('rating.copy_link') })),
      h('label', { for: 'rating-message', text: t('rating.message') }), text,
      h('div', { class: 'actions tight' },
        h('button', { type: 'button', class: 'secondary small', 'data-testid': 'copy-message', onclick: () => copyFrom(text, status), text: t('rating.copy_message') })),
      status);
    button.textContent = t('rating.new_link');
    url.focus();
    url.select();
  } catch (err) {
    put(out, h('p', { class: 'form-error', role: 'alert', text: errorText(err) }));
  } finally {
    button.disabled = false;
  }
}

// ---- actions ------------------------------------------------------------------

function renderActions(d) {
  const box = clear($('#action-buttons'));
  const acts = d.allowed_actions || [];
  if (!acts.length) {
    box.append(h('p', { class: 'muted', text: t('dossier.no_actions') }));
    return;
  }
  for (const a of acts) {
    box.append(h('button', {
      type: 'button', class: DANGER.has(a) ? 'secondary danger-outline' : 'secondary', 'data-action': a,
      onclick: () => openAction(a), text: actionLabel(a, d),
    }));
  }
}

// At the last step a transfer can only assign an officer within it.
function lastStep(d) {
  return d.state === 'in_process' && d.current_step >= (d.chain || []).length;
}

function actionLabel(a, d) {
  if (a === 'transfer' && lastStep(d)) return t('action.assign');
  return t('action.' + a);
}

function textarea(name, required) {
  const id = 'act-' + name;
  return [
    h('label', { for: id }, t('field.' + name), required ? h('span', { class: 'req', text: ' *' }) : null),
    h('textarea', { id, name, rows: name === 'note' ? 2 : 3, 'data-field': name, required }),
  ];
}

async function officerOptions(select) {
  const d = dossier;
  const chain = d.chain || [];
  const groups = [];
  if (d.state === 'received' && chain[0]) groups.push([t('field.assignee_next'), chain[0].agency]);
  if (d.state === 'in_process') {
    if (chain[d.current_step]) groups.push([t('field.assignee_next'), chain[d.current_step].agency]);
    if (chain[d.current_step - 1]) groups.push([t('field.assignee_here'), chain[d.current_step - 1].agency]);
  }
  for (const [label, agency] of groups) {
    try {
      const res = await api('GET', `/api/v1/agencies/${encodeURIComponent(agency.code)}/officers`);
      select.append(h('optgroup', { label: `${label}: ${agency.name}` },
        res.items.map((o) => h('option', { value: o.username, text: `${o.full_name} (${o.username}, ${roleLabel(o.role)})` }))));
    } catch (err) {
      // The transfer still works without naming an officer.
    }
  }
}

function itemRow(list) {
  const i = list.children.length;
  const name = h('input', { 'aria-label': t('field.item_name'), 'data-field': `items[${i}].name` });
  const row = h('div', { class: 'item-row' }, name,
    h('select', { 'aria-label': t('counter.doc_kind') },
      KINDS.map((k) => h('option', { value: k, selected: k === 'copy', text: t('kind.' + k) }))),
    h('button', { type: 'button', class: 'link danger-link', 'aria-label': t('form.remove'), onclick: () => row.remove(), text: '✕' }));
  list.append(row);
  return name;
}

function buildField(spec, d) {
  const required = spec.endsWith('!');
  const name = required ? spec.slice(0, -1) : spec;
  switch (name) {
  case 'reason':
  case 'note':
  case 'result':
    return textarea(name, required);
  case 'assignee': {
    const select = h('select', { id: 'act-assignee', name: 'assignee', 'data-field': 'assignee' },
      lastStep(d) ? null : h('option', { value: '', text: t('field.assignee_none') }));
    officerOptions(select);
    return [h('label', { for: 'act-assignee' }, t('field.assignee'), lastStep(d) ? h('span', { class: 'req', text: ' *' }) : null),
      select, h('div', { class: 'hint', text: lastStep(d) ? t('field.assignee_hint_last') : t('field.assignee_hint') })];
  }
  case 'items': {
    const list = h('div', { id: 'act-items', class: 'items', 'data-field': 'items', tabindex: '-1' });
    itemRow(list);
    return [h('div', { class: 'label', text: t('field.items') + ' *' }), list,
      h('button', { type: 'button', class: 'secondary small', onclick: () => itemRow(list).focus(), text: t('field.add_item') })];
  }
  case 'amount_vnd':
    return [h('label', { for: 'act-amount', text: t('field.amount_vnd') }),
      h('input', { id: 'act-amount', name: 'amount_vnd', type: 'number', min: 0, step: 1000, inputmode: 'numeric', 'data-field': 'amount_vnd' })];
  case 'payment_method':
  case 'return_method': {
    const methods = name === 'payment_method' ? ['counter', 'online'] : ['counter', 'postal', 'online'];
    return [h('label', { for: 'act-method' }, t('field.method'), required ? h('span', { class: 'req', text: ' *' }) : null),
      h('select', { id: 'act-method', name: 'method', 'data-field': 'method' },
        methods.map((m) => h('option', { value: m, text: t('method.' + m) })))];
  }
  case 'new_appointment':
    return [h('label', { for: 'act-date' }, t('field.new_appointment'), h('span', { class: 'req', text: ' *' })),
      h('div', { class: 'row-inline' },
        h('input', { id: 'act-date', type: 'date', name: 'date', 'data-field': 'new_appointment', required: true }),
        h('input', { id: 'act-time', type: 'time', name: 'time', value: '16:00', 'aria-label': t('field.time') })),
      h('div', { class: 'hint', text: t('field.new_appointment_hint', { due: fmtDateTime(d.appointment_at || d.due_at) }) })];
  default:
    return null;
  }
}

let current = null;

function openAction(a) {
  current = a;
  const form = $('#action-form');
  clearErrors(form);
  $('#action-title').textContent = actionLabel(a, dossier);
  const fields = clear($('#action-fields'));
  for (const spec of ACTION_FIELDS[a] || ['note']) fields.append(...[buildField(spec, dossier)].flat().filter(Boolean));
  const submit = $('#action-submit');
  submit.textContent = t('form.confirm_action', { action: actionLabel(a, dossier) });
  submit.className = DANGER.has(a) ? 'danger' : '';
  for (const b of $$('#action-buttons button')) b.setAttribute('aria-pressed', b.dataset.action === a ? 'true' : 'false');
  form.hidden = false;
  const first = form.querySelector('textarea, input, select');
  (first || submit).focus();
}

function closeAction() {
  current = null;
  $('#action-form').hidden = true;
  for (const b of $$('#action-buttons button')) b.removeAttribute('aria-pressed');
}

// Only the inputs this action takes, in the API's shape.
function actionBody(form) {
  const body = { action: current };
  const val = (n) => (form.elements[n] ? form.elements[n].value.trim() : '');
  for (const n of ['note', 'reason', 'result', 'assignee', 'method']) if (val(n)) body[n] = val(n);
  if (val('amount_vnd')) body.amount_vnd = Number(val('amount_vnd'));
  if (form.elements.date) {
    const date = val('date');
    const time = val('time') || '16:00';
    if (date) body.new_appointment = `${date}T${time}:00+07:00`;
  }
  const items = $('#act-items');
  if (items) {
    body.items = $$('.item-row', items)
      .map((r) => ({ name: $('input', r).value.trim(), kind: $('select', r).value }))
      .filter((i) => i.name);
  }
  return body;
}

function missing(form, body) {
  for (const spec of ACTION_FIELDS[current] || []) {
    if (!spec.endsWith('!')) continue;
    const name = spec.slice(0, -1);
    const apiName = name === 'return_method' ? 'method' : name;
    const empty = apiName === 'items' ? !(body.items && body.items.length) : !body[apiName];
    if (empty) return { code: 'missing_field', field: apiName };
  }
  if (current === 'transfer' && lastStep(dossier) && !body.assignee) return { code: 'missing_field', field: 'assignee' };
  return null;
}

async function submitAction(ev) {
  ev.preventDefault();
  const form = $('#action-form');
  clearErrors(form);
  const body = actionBody(form);
  const problem = missing(form, body);
  if (problem) {
    showError(form, problem);
    return;
  }
  const btn = $('#action-submit');
  btn.disabled = true;
  try {
    const d = await api('POST', `/api/v1/dossiers/${encodeURIComponent(key)}/actions`, body);
    const done = actionLabel(current, dossier);
    const accepted = current === 'accept' && d.code;
    closeAction();
    if (accepted) {
      // From now on the dossier goes by its code (the address too).
      const ref = key;
      key = d.code;
      history.replaceState(null, '', location.pathname + '?code=' + encodeURIComponent(key));
      renderAccepted(d, d.ref || ref);
    }
    show(d);
    await renderTimeline();
    const f = $('#flash');
    flash(f, t('dossier.action_done', { action: done, state: t('state.' + d.state) }));
    if (accepted) $('[data-testid=accepted-form01]').focus();
    else f.focus();
  } catch (err) {
    showError(form, err);
  } finally {
    btn.disabled = false;
  }
}

function show(d) {
  dossier = d;
  renderHead(d);
  renderSummary(d);
  renderChain(d);
  renderActions(d);
  renderForms(d);
  renderAttachments(d);
  renderRating(d);
}

async function init() {
  user = await start();
  key = new URLSearchParams(location.search).get('code') || '';
  const form = $('#action-form');
  form.addEventListener('submit', submitAction);
  $('#action-cancel').addEventListener('click', closeAction);
  form.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeAction(); });
  try {
    show(await api('GET', '/api/v1/dossiers/' + encodeURIComponent(key)));
  } catch (err) {
    const box = $('#load-error');
    box.textContent = key ? errorText(err) : t('dossier.no_code');
    box.hidden = false;
    $('.dossier-layout').hidden = true;
    return;
  }
  await renderTimeline();
}

init().catch(() => {});
