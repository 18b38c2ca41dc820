// 密钥: paste an API key for scoped reads (when the service sets Aggregator:RequireKeyForReads). The key stays in this
// tab's sessionStorage and goes only into the X-Api-Key header of the dashboard's own requests.
import { client } from '../api/client';
import { apiKey } from '../api/key';
import { h, message, section } from '../dom';

export function keyView(root: HTMLElement): void {
  const input = h('input', { type: 'password', name: 'apiKey', autocomplete: 'off', placeholder: 'agg_…', size: 60 }) as HTMLInputElement;
  const status = h('p', { className: 'message info', 'data-testid': 'key-status' }, apiKey.get() ? '本标签页已设置密钥。' : '未设置密钥：以匿名方式读取。');
  const check = async () => {
    const { response } = await client.GET('/api/v1/agencies', { params: { query: { pageSize: 1 } } });
    status.textContent = response.ok ? `密钥可用：读取成功（HTTP ${response.status}）。` : `读取被拒绝（HTTP ${response.status}）：请检查密钥。`;
  };
  const form = h('form', { className: 'key-form' }, input, h('button', { type: 'submit' }, '使用此密钥'),
    h('button', { type: 'button', onclick: () => { apiKey.clear(); input.value = ''; status.textContent = '已清除密钥：以匿名方式读取。'; } }, '清除'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    apiKey.set(input.value);
    input.value = '';
    await check();
  });
  root.replaceChildren(h('div', { className: 'page-head' }, h('h1', {}, '访问密钥')), section('只读访问',
    h('p', {}, '公开报告的读取默认无需密钥。若服务开启了 RequireKeyForReads，请在此粘贴管理员发放的密钥（区域或机关密钥）以读取其范围内的数据。'),
    h('p', {}, '密钥只保存在本浏览器标签页的会话存储（sessionStorage）中，关闭标签页即清除；不写入本地存储、Cookie 或网址，只随本看板的请求以 X-Api-Key 请求头发送。'),
    form, status, message('看板只读取数据，不提交或修改任何报告。')));
}
