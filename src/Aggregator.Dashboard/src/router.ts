// Client routes under /dashboard (the API answers every one of them with index.html).
export const base = '/dashboard';

let onNavigate: () => void = () => {};
export const setNavigationHandler = (handler: () => void) => { onNavigate = handler; };

export function navigate(path: string): void {
  history.pushState(null, '', `${base}${path}`);
  onNavigate();
}

/** A link inside the dashboard: a real href (open in a new tab works), followed without a page load. */
export function link(path: string, text: string, attributes: Record<string, string> = {}): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = `${base}${path}`;
  a.textContent = text;
  for (const [name, value] of Object.entries(attributes)) a.setAttribute(name, value);
  a.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(path);
  });
  return a;
}

/** The route's path below /dashboard, split: ['region', '6542'], ['report', 'wusu-transport', '2020']. */
export function route(): { parts: string[]; query: URLSearchParams } {
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : location.pathname;
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(location.search) };
}
