// motcua — the frame of every staff page: who is logged in (name, role and
// agency stay visible in the header), the links that role needs, the
// language switch and logout.
//
// A page module calls `const user = await start({ roles: [...] })` first:
// it translates the static text, asks the server who is logged in (a 401
// sends the browser to /login and back), draws the header and reveals the
// page's <main>. A role the page is not for sees a short explanation
// instead of a page full of refusals.

import { api } from '/js/api.js';
import { t, translate, lang, setLang } from '/js/i18n.js';
import '/i18n/staff.js';
import { h, clear, roleLabel } from '/js/staff/dom.js';

// Where each role starts its day.
export const HOME = {
  clerk: '/staff/counter',
  officer: '/staff/',
  manager: '/overdue',
  admin: '/staff/users',
  auditor: '/staff/',
};

const NAV = [
  { href: '/staff/counter', key: 'nav.counter', roles: ['clerk'] },
  { href: '/staff/', key: 'nav.worklist', roles: ['clerk', 'officer', 'manager', 'admin', 'auditor'] },
  { href: '/staff/feedback', key: 'nav.feedback', roles: ['clerk', 'officer', 'manager'] },
  { href: '/overdue', key: 'nav.overdue', roles: ['manager', 'admin', 'auditor'] },
  { href: '/dashboard', key: 'nav.dashboard', roles: ['manager', 'admin', 'auditor'] },
  { href: '/staff/users', key: 'nav.users', roles: ['admin'] },
  { href: '/staff/procedures', key: 'nav.procedures', roles: ['admin'] },
  { href: '/staff/calendar', key: 'nav.calendar', roles: ['admin'] },
];

// The statistics pages share one entry: /report and /report/list light up
// "dashboard" too.
function samePage(href) {
  const here = location.pathname.replace(/\/index$/, '/');
  if (href === '/dashboard' && (here === '/report' || here.startsWith('/report/'))) return true;
  return here === href || (href !== '/staff/' && here === href + '.html');
}

async function logout() {
  try {
    await api('DELETE', '/api/v1/session', undefined, { noRedirect: true });
  } catch (e) {
    // Already logged out (expired session): the login page is still right.
  }
  location.assign('/login');
}

function drawHeader(user) {
  const header = document.getElementById('app-header');
  clear(header);
  header.className = 'app-header no-print';
  const links = NAV.filter((n) => n.roles.includes(user.role)).map((n) =>
    h('li', {}, h('a', { href: n.href, 'aria-current': samePage(n.href) ? 'page' : null, text: t(n.key) })));
  const other = lang() === 'vi' ? 'en' : 'vi';
  header.append(
    h('a', { class: 'skip-link', href: '#main', text: t('shell.skip') }),
    h('a', { class: 'brand', href: HOME[user.role] || '/staff/' },
      h('span', { class: 'brand-mark', 'aria-hidden': 'true', text: 'MC' }),
      h('span', { text: t('shell.brand') })),
    h('nav', { class: 'app-nav', 'aria-label': t('shell.nav') }, h('ul', {}, links)),
    h('div', { class: 'who', 'data-testid': 'who' },
      h('span', { class: 'who-name', text: user.full_name }),
      h('span', { class: 'who-role', text: roleLabel(user.role) }),
      h('span', { class: 'who-agency', title: user.agency.code, text: user.agency.name })),
    h('div', { class: 'tools' },
      h('button', {
        type: 'button', class: 'secondary small', lang: other, 'data-testid': 'lang-switch',
        onclick: () => { setLang(other); location.reload(); },
        text: t('shell.switch_lang'),
      }),
      h('a', { class: 'button secondary small', href: '/staff/account', text: t('shell.account') }),
      h('button', { type: 'button', class: 'secondary small', onclick: logout, text: t('shell.logout') })),
  );
}

// Start a page; resolves with the user ({username, full_name, role,
// agency: {code, name}}). Rejects (after explaining on the page) when the
// role is not one of roles.
export async function start({ roles } = {}) {
  translate();
  const { user } = await api('GET', '/api/v1/session');
  drawHeader(user);
  const main = document.getElementById('main');
  if (roles && !roles.includes(user.role)) {
    clear(main).append(
      h('h1', { text: t('shell.not_for_role_title') }),
      h('p', { text: t('shell.not_for_role', { role: roleLabel(user.role) }) }),
      h('p', {}, h('a', { href: HOME[user.role] || '/staff/', text: t('shell.go_home') })));
    main.hidden = false;
    throw new Error('role');
  }
  main.hidden = false;
  return user;
}
