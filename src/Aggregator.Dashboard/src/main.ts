import './style.css';
import { ApiError } from './api/client';
import { apiKey } from './api/key';
import { disposeCharts } from './charts';
import { h, message } from './dom';
import { link, route, setNavigationHandler } from './router';
import { completenessView } from './views/completeness';
import { keyView } from './views/key';
import { qualityView } from './views/quality';
import { regionView } from './views/region';
import { reportView } from './views/report';

const app = document.getElementById('app')!;
const nav = document.getElementById('nav')!;
let rendering = 0;

function navigation(scope: string): void {
  const current = route().parts[0] ?? 'region';
  const item = (name: string, path: string, text: string) => {
    const a = link(path, text);
    if (name === current) a.setAttribute('aria-current', 'page');
    return a;
  };
  nav.replaceChildren(
    item('region', `/region/${scope}`, '地区概览'),
    item('completeness', `/completeness/${scope}`, '报送情况'),
    item('quality', `/quality/${scope}`, '报告质量'),
    item('key', '/key', apiKey.get() ? '密钥（已设置）' : '密钥'),
    h('a', { href: '/swagger', className: 'external' }, 'API 文档'));
}

async function render(): Promise<void> {
  const ticket = ++rendering;
  const { parts, query } = route();
  const [page = 'region', first, second] = parts;
  const scope = page === 'report' || page === 'key' ? '' : first ?? '';
  navigation(scope);
  disposeCharts();
  // Views draw into the page itself (charts take the size of a container that is in the document).
  const view = app;
  app.replaceChildren(h('p', { className: 'loading' }, '正在加载…'));
  try {
    switch (page) {
      case 'region': await regionView(view, first ?? null); break;
      case 'completeness': await completenessView(view, first ?? null, query.get('year')); break;
      case 'quality': await qualityView(view, first ?? null, query.get('year')); break;
      case 'report': await reportView(view, first ?? '', Number(second), query.get('revision')); break;
      case 'key': keyView(view); break;
      default: view.append(message('没有这个页面。', 'error'), link('/region/', '回到地区概览'));
    }
  } catch (error) {
    if (ticket !== rendering) return;
    const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
    app.replaceChildren(h('div', { className: 'view' },
      message(refused ? '读取需要有效的访问密钥。' : `无法加载：${error instanceof Error ? error.message : String(error)}`, 'error'),
      refused ? link('/key', '设置访问密钥') : ''));
  }
}

setNavigationHandler(() => void render());
window.addEventListener('popstate', () => void render());
void render();
