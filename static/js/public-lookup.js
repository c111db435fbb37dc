// motcua — the public lookup page: dossier code (or online reference) and
// four check digits → the dossier's state in plain words, dates and the
// steps done. The QR code on Form 01 opens /lookup?code=…, so the code is
// prefilled and the cursor waits in the check digits.

import {
  papi, h, clear, $, initPage, t, stateText, fmtDateTime, errorText, showError, clearErrors,
  fieldError, digits, row,
} from '/js/public-common.js';

function badgeClass(state) {
  if (state === 'resolved' || state === 'returned') return 'badge ok';
  if (state === 'not_accepted' || state === 'stopped') return 'badge danger';
  if (state === 'awaiting_supplement' || state === 'awaiting_payment' || state === 'submitted_online') return 'badge warn';
  return 'badge neutral';
}

function stepItem(s) {
  const when = s.status === 'done'
    ? t('lookup.step_done', { date: fmtDateTime(s.finished_at) })
    : t('lookup.step_current', { date: fmtDateTime(s.started_at) });
  return h('li', { class: s.status },
    h('span', { class: 'step-agency' }, s.agency.name),
    s.task ? h('span', { class: 'step-when' }, s.task + ' — ') : null,
    h('span', { class: 'step-when' }, when));
}

function render(d) {
  const box = clear($('#result'));
  box.hidden = false;
  const facts = [];
  facts.push(...row(t('lookup.code_label'), d.code || t('lookup.no_code_yet'), { class: d.code ? 'code' : null, 'data-testid': 'result-code' }));
  if (d.channel === 'online') facts.push(...row(t('lookup.ref_label'), d.ref, { class: 'code' }));
  facts.push(...row(t('lookup.procedure'), d.procedure.name));
  facts.push(...row(t('lookup.agency'), d.receiving_agency.name));
  facts.push(...row(t('lookup.state'), h('span', { class: badgeClass(d.state), 'data-testid': 'result-state' }, stateText(d))));
  if (d.submitted_at) facts.push(...row(t('lookup.submitted_at'), fmtDateTime(d.submitted_at)));
  if (d.received_at) facts.push(...row(t('lookup.received_at'), fmtDateTime(d.received_at)));
  if (d.appointment_at) {
    facts.push(...row(t('lookup.appointment_at'), [fmtDateTime(d.appointment_at),
      d.appointment_moved ? h('span', { class: 'muted' }, ' ' + t('lookup.appointment_moved')) : null],
    { 'data-testid': 'result-appointment' }));
  }
  if (d.resolved_at) facts.push(...row(t('lookup.resolved_at'), fmtDateTime(d.resolved_at)));
  if (d.returned_at) facts.push(...row(t('lookup.returned_at'), fmtDateTime(d.returned_at)));
  if (d.closed_at && !d.returned_at) facts.push(...row(t('lookup.closed_at'), fmtDateTime(d.closed_at)));
  box.append(h('h2', null, d.procedure.name), h('dl', { class: 'facts' }, facts));
  if (d.ready_to_collect) box.append(h('p', { class: 'notice ok', 'data-testid': 'ready' }, t('lookup.ready')));
  if (d.state === 'submitted_online') box.append(h('p', { class: 'notice info' }, t('lookup.waiting_online')));
  if (d.refusal_reason) {
    box.append(h('p', { class: 'notice danger', 'data-testid': 'refusal' },
      h('strong', null, t('lookup.refused') + ': '), d.refusal_reason));
  }
  box.append(h('h3', null, t('lookup.steps')));
  if (d.steps.length) box.append(h('ol', { class: 'steps' }, d.steps.map(stepItem)));
  else box.append(h('p', { class: 'muted' }, t('lookup.steps_none')));
}

async function lookup(form) {
  clearErrors(form);
  const code = form.code.value.trim().toUpperCase();
  const check = digits(form.check.value);
  let bad = false;
  if (!code) {
    fieldError(form, 'code', t('lookup.need_code'));
    bad = true;
  }
  if (check.length !== 4) {
    fieldError(form, 'check', t('lookup.need_check'));
    bad = true;
  }
  if (bad) return;
  const button = $('#lookup-submit');
  button.disabled = true;
  $('#result').hidden = true;
  try {
    const d = await papi('GET', `/api/v1/public/dossiers/${encodeURIComponent(code)}?check=${check}`);
    render(d);
  } catch (err) {
    showError(form, err.status === 404 ? t('lookup.not_found') : errorText(err));
  } finally {
    button.disabled = false;
  }
}

function init() {
  initPage('lookup.title');
  const form = $('#lookup-form');
  const code = new URLSearchParams(location.search).get('code');
  if (code) {
    form.code.value = code.slice(0, 40);
    form.check.focus();
  } else {
    form.code.focus();
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    lookup(form);
  });
}

init();
