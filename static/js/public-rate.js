// motcua — rating a returned dossier through its one-time link
// (/rate?t=TOKEN, printed on Form 01 or shown at the return counter).
// The questions are Decree 61/2018 Art 31's: time against the promise,
// trips, staff attitude, the result, any request for an unofficial
// payment, and a comment.

import {
  papi, h, clear, $, initPage, t, stateText, fmtDateTime, errorText, showError, clearErrors, row,
} from '/js/public-common.js';

const token = new URLSearchParams(location.search).get('t') || '';

function message(kind, text) {
  const m = $('#rate-message');
  m.className = 'notice ' + kind;
  m.textContent = text;
  m.hidden = false;
}

// One 1–5 question as a group of radio buttons.
function scale(name, key) {
  return h('fieldset', { 'data-question': name },
    h('legend', null, t(key)),
    h('div', { class: 'choices scale' }, [5, 4, 3, 2, 1].map((v) =>
      h('label', null, h('input', { type: 'radio', name, value: v, required: true }), ' ' + t('rate.s' + v)))));
}

function questions() {
  const box = clear($('#rate-questions'));
  box.append(
    scale('time_score', 'rate.q_time'),
    h('fieldset', { 'data-question': 'trips' },
      h('legend', null, t('rate.q_trips')),
      h('div', { class: 'choices' }, [0, 1, 2, 3, 4, 5].map((v) =>
        h('label', null, h('input', { type: 'radio', name: 'trips', value: v, required: true }),
          ' ' + (v === 5 ? t('rate.trips_more') : t('rate.trips_n', { n: v })))))),
    scale('attitude_score', 'rate.q_attitude'),
    scale('result_score', 'rate.q_result'),
    h('fieldset', { 'data-question': 'unofficial_payment' },
      h('legend', null, t('rate.q_payment')),
      h('div', { class: 'choices' },
        h('label', null, h('input', { type: 'radio', name: 'unofficial_payment', value: 'no', required: true }), ' ' + t('rate.no')),
        h('label', null, h('input', { type: 'radio', name: 'unofficial_payment', value: 'yes' }), ' ' + t('rate.yes')))));
}

function picked(form, name) {
  const el = form.querySelector(`input[name="${name}"]:checked`);
  return el ? el.value : null;
}

async function send(form) {
  clearErrors(form);
  const names = ['time_score', 'trips', 'attitude_score', 'result_score', 'unofficial_payment'];
  const v = Object.fromEntries(names.map((n) => [n, picked(form, n)]));
  if (names.some((n) => v[n] === null)) {
    showError(form, t('rate.answer_all'));
    return;
  }
  const body = {
    token,
    time_score: Number(v.time_score),
    trips: Number(v.trips),
    attitude_score: Number(v.attitude_score),
    result_score: Number(v.result_score),
    unofficial_payment: v.unofficial_payment === 'yes',
  };
  const comment = form.comment.value.trim();
  if (comment) body.comment = comment;
  const button = $('#rate-send');
  button.disabled = true;
  try {
    await papi('POST', '/api/v1/public/rating', body);
    form.hidden = true;
    message('ok', t('rate.thanks'));
  } catch (err) {
    if (err.code === 'already_rated') {
      form.hidden = true;
      message('ok', t('rate.already'));
    } else {
      showError(form, errorText(err));
      button.disabled = false;
    }
  }
}

async function init() {
  initPage('rate.title');
  let d;
  try {
    d = await papi('GET', '/api/v1/public/rating?t=' + encodeURIComponent(token));
  } catch (err) {
    $('#rate-loading').hidden = true;
    message('danger', err.status === 404 ? t('rate.invalid') : errorText(err));
    return;
  }
  $('#rate-loading').hidden = true;
  const card = clear($('#rate-dossier'));
  card.hidden = false;
  card.append(h('h2', null, d.procedure.name), h('dl', { class: 'facts' },
    row(t('rate.dossier'), d.code || '', { class: 'code', 'data-testid': 'rate-code' }),
    row(t('lookup.agency'), d.agency.name),
    row(t('lookup.state'), stateText(d)),
    d.appointment_at ? row(t('lookup.appointment_at'), fmtDateTime(d.appointment_at)) : null,
    d.returned_at ? row(t('lookup.returned_at'), fmtDateTime(d.returned_at)) : null));
  if (!d.can_rate) {
    message(d.rated ? 'ok' : 'warn', d.rated ? t('rate.already') : t('rate.not_returned'));
    return;
  }
  questions();
  const form = $('#rate-form');
  form.hidden = false;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    send(form);
  });
}

init();
