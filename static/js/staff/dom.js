// motcua — small helpers the staff pages share: building elements without
// innerHTML (so no data can ever become markup), showing API errors next
// to the field they name, and the labels of states, roles, units and
// channels from the message catalogue.

import { t } from '/js/i18n.js';

// h('a', { href: '/x', class: 'y', onclick: fn }, 'text', child…)
// Attributes: class, text, dataset {…}, on<event> handlers, boolean
// attributes given as true/false, anything else with setAttribute.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Replace el's children (same rules as h: arrays flattened, null skipped).
export function put(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function $(sel, root = document) {
  return root.querySelector(sel);
}

export function $$(sel, root = document) {
  return Array.from(root.querySelectorAll(sel));
}

// ---- errors ------------------------------------------------------------

// The envelope's field, tidied: some handlers repeat the last segment
// ("applicant.name.name"); the pages only care about the field itself.
export function normalizeField(field) {
  if (!field) return null;
  const parts = field.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === parts[parts.length - 2]) parts.pop();
  return parts.join('.');
}

// A message for people: the catalogue's text for the error code when it
// has one (so it follows the language switch), else the server's.
export function errorText(err) {
  if (!err) return '';
  if (err.code === 'network') return t('error.network');
  const key = 'error.' + err.code;
  const s = t(key, { detail: err.message || '' });
  if (s !== key) return s;
  if (err.code === 'missing_field') return t('error.missing_field');
  return err.message || t('error.unknown');
}

// Show err next to the control whose data-field matches err.field inside
// form; otherwise in the form's [data-role=form-error] box. Returns the
// element that got the message.
export function showError(form, err) {
  clearErrors(form);
  const field = normalizeField(err && err.field);
  const control = field ? form.querySelector(`[data-field="${CSS.escape(field)}"]`) : null;
  if (control) {
    setFieldError(control, errorText(err));
    control.focus();
    return control;
  }
  const box = form.querySelector('[data-role="form-error"]');
  if (box) {
    box.textContent = field ? `${field}: ${errorText(err)}` : errorText(err);
    box.hidden = false;
    box.focus();
  }
  return box;
}

// Mark one control invalid (or valid with an empty message). The message
// element is the control's aria-describedby target, created if missing.
export function setFieldError(control, message) {
  let id = control.getAttribute('aria-describedby');
  let box = id ? document.getElementById(id.split(' ')[0]) : null;
  if (!box) {
    if (!control.id) control.id = 'f-' + Math.random().toString(36).slice(2, 9);
    box = h('div', { class: 'field-error', id: control.id + '-error' });
    control.insertAdjacentElement('afterend', box);
    control.setAttribute('aria-describedby', box.id);
  }
  box.textContent = message || '';
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

export function clearErrors(form) {
  for (const c of form.querySelectorAll('[aria-invalid="true"]')) setFieldError(c, '');
  const box = form.querySelector('[data-role="form-error"]');
  if (box) {
    box.textContent = '';
    box.hidden = true;
  }
}

// A polite status line (role=status) for "saved" messages.
export function flash(el, message, kind = 'ok') {
  el.textContent = message;
  el.className = 'flash ' + kind;
  el.hidden = !message;
}

// ---- labels --------------------------------------------------------------

const STATE_TONE = {
  submitted_online: 'neutral', received: 'info', in_process: 'info',
  awaiting_supplement: 'warn', awaiting_payment: 'warn', withdraw_requested: 'warn',
  not_accepted: 'neutral', stopped: 'neutral', resolved: 'ok', returned: 'ok',
};

export const STATES = Object.keys(STATE_TONE);

export function stateBadge(state) {
  return h('span', { class: 'badge ' + (STATE_TONE[state] || 'neutral'), text: t('state.' + state) });
}

export function dueBadges(d) {
  const out = [];
  if (d.overdue) out.push(h('span', { class: 'badge danger', text: t('flag.overdue') }));
  else if (d.due_soon) out.push(h('span', { class: 'badge warn', text: t('flag.due_soon') }));
  return out;
}

export function limitText(limit) {
  if (!limit) return '';
  if (limit.unit === 'none' || limit.unit === 'immediate') return t('unit.' + limit.unit);
  return t('unit.' + limit.unit, { n: limit.value });
}

export function roleLabel(role) {
  return t('role.' + role);
}

export function channelLabel(channel) {
  return t('channel.' + channel);
}

export function resultBadge(result) {
  if (!result) return null;
  const tone = result === 'late' ? 'danger' : 'ok';
  return h('span', { class: 'badge ' + tone, text: t('result.' + result) });
}

// A labelled value for definition lists.
export function dl(pairs) {
  const list = h('dl', { class: 'facts' });
  for (const [label, value] of pairs) {
    if (value === undefined || value === null || value === '') continue;
    list.append(h('dt', { text: label }), h('dd', {}, value));
  }
  return list;
}

// Debounce for search-as-you-type.
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
