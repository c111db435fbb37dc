// motcua — admin: staff accounts. Add an account (its agency chosen from
// the catalogue), disable or enable it (disabling ends its sessions at
// once), reset its password (every session of that person ends).

import { api } from '/js/api.js';
import { t } from '/js/i18n.js';
import { start } from '/js/staff/shell.js';
import { h, $, clear, showError, clearErrors, flash, roleLabel, errorText } from '/js/staff/dom.js';

const ROLES = ['clerk', 'officer', 'manager', 'auditor', 'admin'];
const LEVELS = ['province', 'department', 'district', 'commune'];
let me = null;
let users = [];
let resetting = null;

function status(u) {
  if (u.disabled) return h('span', { class: 'badge neutral', text: t('users.disabled') });
  if (u.locked) return h('span', { class: 'badge warn', text: t('users.locked') });
  return h('span', { class: 'badge ok', text: t('users.active') });
}

function draw() {
  const q = $('#filter').value.trim().toLowerCase();
  const role = $('#filter-role').value;
  const body = clear($('#rows'));
  const shown = users.filter((u) => (!role || u.role === role)
    && (!q || [u.username, u.full_name, u.agency.name, u.agency.code].some((s) => s.toLowerCase().includes(q))));
  for (const u of shown) {
    const self = u.username === me.username;
    body.append(h('tr', { 'data-username': u.username, class: u.disabled ? 'disabled' : '' },
      h('td', {}, h('span', { class: 'code', text: u.username })),
      h('td', { text: u.full_name }),
      h('td', { text: roleLabel(u.role) }),
      h('td', {}, u.agency.name, h('div', { class: 'muted small', text: u.agency.code })),
      h('td', {}, status(u)),
      h('td', { class: 'row-actions' },
        u.disabled || u.locked
          ? h('button', { type: 'button', class: 'secondary small', 'data-act': 'enable', onclick: () => setFlag(u, 'enable'), text: u.disabled ? t('users.enable') : t('users.unlock') })
          : null,
        !u.disabled && !self
          ? h('button', { type: 'button', class: 'secondary small', 'data-act': 'disable', onclick: () => setFlag(u, 'disable'), text: t('users.disable') })
          : null,
        self
          ? h('a', { class: 'button secondary small', href: '/staff/account', text: t('shell.account') })
          : h('button', { type: 'button', class: 'secondary small', 'data-act': 'reset', onclick: () => openReset(u), text: t('users.reset') }))));
  }
  if (!shown.length) body.append(h('tr', {}, h('td', { colspan: 6, class: 'empty', text: t('users.none') })));
}

async function reload() {
  ({ items: users } = await api('GET', '/api/v1/users'));
  draw();
}

async function setFlag(u, what) {
  if (what === 'disable' && !confirm(t('users.confirm_disable', { name: u.full_name }))) return;
  try {
    await api('POST', `/api/v1/users/${encodeURIComponent(u.username)}/${what}`, {});
    await reload();
    flash($('#flash'), t(what === 'disable' ? 'users.done_disable' : 'users.done_enable', { name: u.full_name }));
    $('#flash').focus();
  } catch (err) {
    flash($('#flash'), errorText(err), 'danger');
  }
}

function openReset(u) {
  resetting = u;
  const form = $('#reset-form');
  clearErrors(form);
  form.reset();
  $('#reset-title').textContent = t('users.reset_title', { name: u.full_name, username: u.username });
  form.hidden = false;
  $('#r-password').focus();
}

async function init() {
  me = await start({ roles: ['admin'] });
  $('#u-role').append(...ROLES.map((r) => h('option', { value: r, text: roleLabel(r) })));
  $('#filter-role').append(h('option', { value: '', text: t('worklist.any') }),
    ...ROLES.map((r) => h('option', { value: r, text: roleLabel(r) })));
  const { items: agencies } = await api('GET', '/api/v1/agencies');
  const today = new Date().toISOString().slice(0, 10);
  $('#u-agency').append(h('option', { value: '', text: t('users.choose_agency') }),
    ...LEVELS.map((lv) => h('optgroup', { label: t('level.' + lv) },
      agencies.filter((a) => a.level === lv && (!a.valid_to || a.valid_to >= today))
        .map((a) => h('option', { value: a.code, text: `${a.name} (${a.code})` })))));
  $('#filter').addEventListener('input', draw);
  $('#filter-role').addEventListener('change', draw);
  const add = $('#add-form');
  $('#show-add').addEventListener('click', () => { add.hidden = false; $('#u-username').focus(); });
  $('#cancel-add').addEventListener('click', () => { add.hidden = true; add.reset(); clearErrors(add); });
  add.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(add);
    const f = add.elements;
    const body = {
      username: f.username.value.trim(), full_name: f.full_name.value.trim(), role: f.role.value,
      agency: f.agency.value, password: f.password.value, pii_access: f.pii_access.checked,
    };
    if (!body.agency) {
      showError(add, { code: 'missing_field', field: 'agency' });
      return;
    }
    try {
      const u = await api('POST', '/api/v1/users', body);
      add.reset();
      add.hidden = true;
      await reload();
      flash($('#flash'), t('users.done_create', { name: u.full_name, username: u.username }));
      $('#flash').focus();
    } catch (err) {
      showError(add, err);
    }
  });
  const reset = $('#reset-form');
  $('#cancel-reset').addEventListener('click', () => { reset.hidden = true; });
  reset.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(reset);
    try {
      await api('POST', `/api/v1/users/${encodeURIComponent(resetting.username)}/password`, { password: $('#r-password').value });
      reset.hidden = true;
      flash($('#flash'), t('users.done_reset', { name: resetting.full_name }));
      $('#flash').focus();
      await reload();
    } catch (err) {
      showError(reset, err);
    }
  });
  await reload();
}

init().catch(() => {});
