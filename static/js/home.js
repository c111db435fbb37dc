// motcua — the landing page: two doors, for citizens and for staff.
import { register, translate, lang, setLang } from './i18n.js';

register('vi', {
  'home.title': 'Hệ thống giải quyết thủ tục hành chính một cửa',
  'home.lang': 'English',
  'home.citizens': 'Dành cho người dân, doanh nghiệp',
  'home.lookup': 'Tra cứu hồ sơ theo mã hồ sơ',
  'home.submit': 'Nộp hồ sơ trực tuyến',
  'home.feedback': 'Gửi phản ánh, kiến nghị',
  'home.stats': 'Kết quả giải quyết hồ sơ của các cơ quan',
  'home.staff': 'Dành cho cán bộ, công chức',
  'home.login': 'Đăng nhập',
});
register('en', {
  'home.title': 'One-stop administrative procedures',
  'home.lang': 'Tiếng Việt',
  'home.citizens': 'For citizens and businesses',
  'home.lookup': 'Look up a dossier by its code',
  'home.submit': 'Submit a dossier online',
  'home.feedback': 'Send feedback or a complaint',
  'home.stats': 'How agencies resolve dossiers',
  'home.staff': 'For staff',
  'home.login': 'Log in',
});

translate();
document.getElementById('lang').addEventListener('click', () => {
  setLang(lang() === 'vi' ? 'en' : 'vi');
  translate();
});
