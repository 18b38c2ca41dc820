// DOM helpers and number formats. A blank (null) is drawn as an empty cell, never as 0.

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'className') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 6 });
const percent = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 });

/** A number as shown; a blank is the empty string. */
export const number = (value: number | null | undefined): string => (value === null || value === undefined ? '' : integer.format(value));

/** A change with its sign (+12, −3, 0); blank when either side is blank. */
export const change = (value: number | null | undefined): string =>
  value === null || value === undefined ? '' : value > 0 ? `+${integer.format(value)}` : integer.format(value);

export const rate = (value: number | null | undefined): string => (value === null || value === undefined ? '' : percent.format(value));

/** A table cell holding a number: blank cells get the class "blank" and a title saying so. */
export function numberCell(value: number | null | undefined, attributes: Attributes = {}): HTMLTableCellElement {
  const blank = value === null || value === undefined;
  return h('td', { ...attributes, className: blank ? 'num blank' : 'num', title: blank ? '空白（未填报）' : null }, blank ? '' : number(value));
}

export const dateTime = (iso: string): string =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { className: 'panel' }, h('h2', {}, title), ...children);
}

export function message(text: string, kind: 'info' | 'error' = 'info'): HTMLElement {
  return h('p', { className: `message ${kind}` }, text);
}
