// motcua — the staff login page. After logging in the browser goes back
// to the page that asked for it (?next=, same site only) or to the role's
// usual starting page. Someone already logged in goes straight there.

import { api } from '/js/api.js';
import { t, translate, lang, setLang } from '/js/i18n.js';
import '/i18n/staff.js';
import { $, showError, clearErrors } from '/js/staff/dom.js';
import { HOME } from '/js/staff/shell.js';

// Only a path on this site: "/x", never "//host" or "https://…".
function safeNext() {
  const next = new URLSearchParams(location.search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next.startsWith('/login')) return null;
  return next;
}

function go(user) {
  location.assign(safeNext() || HOME[user.role] || '/staff/');
}

async function init() {
  translate();
  document.title = t('login.title') + ' — ' + t('shell.brand');
  const sw = $('#lang-switch');
  const other = lang() === 'vi' ? 'en' : 'vi';
  sw.textContent = t('shell.switch_lang');
  sw.lang = other;
  sw.addEventListener('click', () => { setLang(other); location.reload(); });
  try {
    const { user } = await api('GET', '/api/v1/session', undefined, { noRedirect: true });
    go(user);
    return;
  } catch (e) {
    // Not logged in: show the form.
  }
  const form = $('#login-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const username = $('#username').value.trim();
    const password = $('#password').value;
    if (!username || !password) {
      showError(form, { code: 'login_empty' });
      return;
    }
    const btn = $('#login-submit');
    btn.disabled = true;
    try {
      const { user } = await api('POST', '/api/v1/session', { username, password }, { noRedirect: true });
      go(user);
    } catch (err) {
      showError(form, err);
      $('#password').value = '';
      $('#password').focus();
      btn.disabled = false;
    }
  });
}

init();
