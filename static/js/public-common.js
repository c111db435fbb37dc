// motcua — what the citizen pages share: the frame (language switch,
// current page in the menu), building elements without innerHTML (so no
// data can ever become markup), errors next to their fields, and a few
// formats. Citizens never log in: every API call passes noRedirect so a
// 401 can never send them to the staff login.

import { api, ApiError } from '/js/api.js';
import { t, translate, lang, setLang, fmtDateTime, fmtDate, fmtNumber } from '/js/i18n.js';
import { h, clear, $ } from '/js/staff/dom.js';
import '/i18n/public.js';

export { api, ApiError, t, lang, fmtDateTime, fmtDate, fmtNumber };

export const NO_REDIRECT = { noRedirect: true };

// A public API call (never redirects to the staff login).
export function papi(method, path, body) {
  return api(method, path, body, NO_REDIRECT);
}

// Elements are built with the staff pages' helpers (no innerHTML anywhere).
export { h, clear, $ };

// The frame: texts, title, the menu entry of this page, the language
// switch (reloads the page in the other language, keeping the URL).
export function initPage(titleKey) {
  translate();
  document.title = t(titleKey) + ' — ' + t('pub.brand');
  for (const a of document.querySelectorAll('.pub-nav a')) {
    if (a.getAttribute('href') === location.pathname) a.setAttribute('aria-current', 'page');
  }
  const sw = $('#lang-switch');
  if (sw) {
    const other = lang() === 'vi' ? 'en' : 'vi';
    sw.textContent = t('pub.switch_lang');
    sw.lang = other;
    sw.addEventListener('click', () => { setLang(other); location.reload(); });
  }
}

// A message for people: the catalogue's text for the error code when it
// has one (so it follows the language), else the server's message.
export function errorText(err, params) {
  if (!(err instanceof ApiError)) return t('err.generic');
  if (err.code === 'network') return t('err.network');
  if (err.status === 429) return t('err.too_many_requests_short');
  const key = 'err.' + err.code;
  const s = t(key, params);
  return s !== key ? s : (err.message || t('err.generic'));
}

// Show an error next to its field (an element with data-error-for=name),
// or in the form's [data-role=form-error] box.
export function showError(form, err, fieldMap = {}) {
  const field = err && err.field ? (fieldMap[err.field] || err.field) : null;
  const msg = typeof err === 'string' ? err : errorText(err);
  const slot = field ? form.querySelector(`[data-error-for="${CSS.escape(field)}"]`) : null;
  if (slot) {
    slot.textContent = msg;
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    return;
  }
  const box = form.querySelector('[data-role=form-error]');
  if (box) {
    box.textContent = msg;
    box.hidden = false;
    box.focus();
  }
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('[data-error-for]')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const box = form.querySelector('[data-role=form-error]');
  if (box) {
    box.textContent = '';
    box.hidden = true;
  }
}

export function fieldError(form, name, msg) {
  const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
  if (slot) slot.textContent = msg;
  const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
  if (input) input.setAttribute('aria-invalid', 'true');
}

// The server's plain-words label of a state in the page's language.
export function stateText(o) {
  const l = o && o.state_label;
  return (l && (l[lang()] || l.vi)) || (o && o.state) || '';
}

export function limitText(limit) {
  if (!limit) return '';
  const key = 'unit.' + limit.unit;
  const s = t(key, { n: limit.value });
  return s === key ? `${limit.value} ${limit.unit}` : s;
}

export function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return t('submit.size_unit_mb', { n: fmtNumber(Math.round(bytes / 104857.6) / 10) });
  return fmtNumber(Math.max(1, Math.round(bytes / 1024))) + ' KB';
}

// Only the digits of what someone typed (spaces, dots, dashes dropped).
export function digits(s) {
  return String(s || '').replace(/\D+/g, '');
}

// A definition list row.
export function row(label, value, attrs) {
  return [h('dt', null, label), h('dd', attrs || null, value)];
}
