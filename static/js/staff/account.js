// motcua — the user's own account: who they are, and changing their
// password (the current one is asked again; other sessions end).

import { api } from '/js/api.js';
import { t } from '/js/i18n.js';
import { start } from '/js/staff/shell.js';
import { $, showError, clearErrors, flash, dl, roleLabel } from '/js/staff/dom.js';

async function init() {
  const user = await start();
  $('#me').append(dl([
    [t('users.username'), user.username],
    [t('users.full_name'), user.full_name],
    [t('users.role'), roleLabel(user.role)],
    [t('users.agency'), `${user.agency.name} (${user.agency.code})`],
  ]));
  const form = $('#pw-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const current = $('#current').value;
    const password = $('#new').value;
    if (!current) return showError(form, { code: 'missing_field', field: 'current_password' });
    if (password !== $('#again').value) return showError(form, { code: 'password_mismatch', field: 'again' });
    try {
      await api('POST', `/api/v1/users/${encodeURIComponent(user.username)}/password`, { current_password: current, password });
      form.reset();
      flash($('#flash'), t('account.done'));
      $('#flash').focus();
    } catch (err) {
      showError(form, err);
    }
    return undefined;
  });
}

init().catch(() => {});
