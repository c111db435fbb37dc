// motcua — feedback (phản ánh, kiến nghị): send one, anonymous or with a
// contact, optionally about a dossier (its code and check digits); follow
// one by its code (/feedback?code=PAKN-…), with the answer when the agency
// published it.

import {
  papi, h, clear, $, initPage, t, stateText, fmtDateTime, errorText, showError, clearErrors,
  fieldError, digits, row,
} from '/js/public-common.js';

function renderView(f) {
  const box = clear($('#fb-view'));
  box.hidden = false;
  box.append(h('dl', { class: 'facts' },
    row(t('fb.view_code'), f.code, { class: 'code' }),
    row(t('lookup.agency'), f.agency.name),
    row(t('lookup.state'), h('span', { class: 'badge neutral', 'data-testid': 'fb-state' }, stateText(f))),
    row(t('fb.received_at'), fmtDateTime(f.received_at)),
    row(t('fb.due_at'), fmtDateTime(f.due_at)),
    f.answered_at ? row(t('fb.answered_at'), fmtDateTime(f.answered_at)) : null));
  if (f.overdue) box.append(h('p', { class: 'notice warn' }, t('fb.overdue')));
  if (f.public) {
    box.append(h('h3', null, f.subject), h('p', null, f.content),
      h('h3', null, t('fb.answer')), h('p', { class: 'notice info', 'data-testid': 'fb-answer' }, f.answer));
  } else if (f.answered_at) {
    box.append(h('p', { class: 'muted' }, t('fb.answer_private')));
  }
}

async function view(form) {
  clearErrors(form);
  const code = form.code.value.trim().toUpperCase();
  if (!code) {
    fieldError(form, 'code', t('err.missing_field'));
    return;
  }
  $('#fb-view').hidden = true;
  try {
    renderView(await papi('GET', '/api/v1/public/feedback/' + encodeURIComponent(code)));
  } catch (err) {
    showError(form, err.status === 404 ? t('fb.view_not_found') : errorText(err));
  }
}

async function loadAgencies() {
  const sel = clear($('#fb-agency'));
  sel.append(h('option', { value: '' }, t('fb.agency_pick')));
  try {
    const { items } = await papi('GET', '/api/v1/public/agencies');
    for (const a of items) sel.append(h('option', { value: a.code }, a.name));
  } catch (err) {
    showError($('#fb-form'), err);
  }
}

function body(form) {
  const v = (name) => form.elements[name].value.trim();
  const b = {
    kind: form.querySelector('input[name=kind]:checked').value,
    subject: v('subject'),
    content: form.elements.content.value.trim(),
  };
  if (v('agency_code')) b.agency_code = v('agency_code');
  if (v('dossier_code')) {
    b.dossier_code = v('dossier_code').toUpperCase();
    b.check = digits(v('check'));
  }
  const contact = {};
  if (v('contact.name')) contact.name = v('contact.name');
  if (v('contact.phone')) contact.phone = v('contact.phone').replace(/[\s.-]+/g, '');
  if (v('contact.email')) contact.email = v('contact.email');
  if (Object.keys(contact).length) b.contact = contact;
  return b;
}

async function send(form) {
  clearErrors(form);
  const b = body(form);
  let ok = true;
  for (const name of ['subject', 'content']) {
    if (!b[name]) {
      fieldError(form, name, t('err.missing_field'));
      ok = false;
    }
  }
  if (!b.agency_code && !b.dossier_code) {
    fieldError(form, 'agency_code', t('err.unknown_agency'));
    ok = false;
  }
  if (b.dossier_code && (!b.check || b.check.length !== 4)) {
    fieldError(form, 'check', t('lookup.need_check'));
    ok = false;
  }
  if (!ok) return;
  const button = $('#fb-send');
  button.disabled = true;
  try {
    const f = await papi('POST', '/api/v1/public/feedback', b);
    form.hidden = true;
    const box = clear($('#fb-sent'));
    box.hidden = false;
    box.append(
      h('h2', null, t('fb.sent_title')),
      h('p', null, t('fb.sent_code')),
      h('p', { class: 'big-code code', 'data-testid': 'fb-code' }, f.code),
      h('p', null, t('fb.sent_due', { date: fmtDateTime(f.due_at) })),
      h('p', { class: 'notice info' }, t('fb.sent_keep')));
    $('#fb-code').value = f.code;
    box.scrollIntoView({ block: 'start' });
  } catch (err) {
    showError(form, err);
    button.disabled = false;
  }
}

function init() {
  initPage('fb.title');
  const viewForm = $('#fb-view-form');
  viewForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    view(viewForm);
  });
  const form = $('#fb-form');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    send(form);
  });
  loadAgencies();
  const code = new URLSearchParams(location.search).get('code');
  if (code) {
    viewForm.code.value = code.slice(0, 20);
    view(viewForm);
  }
}

init();
