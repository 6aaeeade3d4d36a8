// The crossdock dashboard: polls dashboard.json every second and renders
// it. Every value goes into the page as text, never as markup.
'use strict';
(() => {
  const POLL_MS = 1000;
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  // An element with attributes (`class`, `data-*`, ...) and children
  // (strings become text nodes).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    e.append(...children.flat());
    return e;
  }
  const td = (text, cls) => el('td', cls ? { class: cls } : {}, String(text));
  const chips = (items) => items.map((t) => el('span', { class: 'chip' }, t));
  const empty = (cols, text) => el('tr', {}, el('td', { class: 'empty', colspan: cols }, text));

  const pct = (x) => (x == null ? '–' : `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)} %`);
  const ms = (x) => (x == null ? '–' : x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`);
  const perSec = (x) => `${x.toFixed(x > 0 && x < 10 ? 1 : 0)}/s`;
  function duration(secs) {
    const h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), s = secs % 60;
    return h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`;
  }
  const utc = (unixMs) => new Date(unixMs).toISOString().replace('T', ' ').slice(0, 19);

  // Calls per second as bars, errors in red at their foot.
  function spark(history) {
    const w = 120, h = 24, n = 60, bw = w / n;
    const svg = document.createElementNS(SVG, 'svg');
    for (const [k, v] of Object.entries({ class: 'spark', width: w, height: h, viewBox: `0 0 ${w} ${h}` })) {
      svg.setAttribute(k, v);
    }
    const top = Math.max(1, ...history.map((s) => s.per_sec));
    history.slice(-n).forEach((s, i, all) => {
      const x = w - (all.length - i) * bw;
      for (const [cls, v] of [['calls', s.per_sec], ['errors', s.errors_per_sec]]) {
        if (v <= 0) continue;
        const bh = Math.max(1, (v / top) * h);
        const r = document.createElementNS(SVG, 'rect');
        for (const [k, a] of Object.entries({ class: cls, x: x + 0.5, y: h - bh, width: bw - 1, height: bh })) {
          r.setAttribute(k, a);
        }
        svg.append(r);
      }
    });
    return svg;
  }

  function backendRow(b) {
    const open = b.breaker === 'open';
    const r = b.recent;
    return el('tr', { 'data-backend': b.name, 'data-breaker': b.breaker, class: open ? 'open' : '' },
      el('td', {}, el('strong', {}, b.name)),
      el('td', {}, el('span', { class: `badge ${open ? 'bad' : 'ok'}` }, b.breaker)),
      el('td', {}, b.routes.length ? chips(b.routes) : el('span', { class: 'empty' }, 'not routed')),
      td(b.in_flight, 'num'),
      td(perSec(r.per_sec), 'num'),
      td(pct(r.error_rate), 'num'),
      td(ms(r.mean_ms), 'num'),
      td(ms(r.p95_ms), 'num'),
      td(b.calls, 'num'),
      el('td', {}, spark(b.history)));
  }

  function routeRow(r) {
    return el('tr', { 'data-route': `${r.tenant}/${r.resource}` },
      td(r.tenant), el('td', {}, el('strong', {}, r.resource)),
      el('td', {}, chips(r.paths)), el('td', {}, chips(r.backends)),
      td(r.strict ? 'yes' : 'no'), td(r.timeout_ms == null ? '–' : `${r.timeout_ms} ms`, 'num'));
  }

  function tenantRow(t) {
    const keys = t.api_keys == null ? 'none asked' : `${t.api_keys} key${t.api_keys === 1 ? '' : 's'}`;
    const limit = t.rate_limit ? `${t.rate_limit.requests_per_sec}/s per key, burst ${t.rate_limit.burst}` : 'none';
    return el('tr', { 'data-tenant': t.name }, el('td', {}, el('strong', {}, t.name)), td(keys), td(limit));
  }

  function reloadRow(r) {
    return el('tr', { 'data-reload': r.ok ? 'ok' : 'refused' },
      td(utc(r.at_unix_ms)),
      el('td', {}, el('span', { class: `badge ${r.ok ? 'ok' : 'bad'}` }, r.ok ? 'applied' : 'refused')),
      el('td', { class: 'error' }, r.error || ''));
  }

  function render(o) {
    $('version').textContent = `v${o.version}`;
    $('uptime').textContent = duration(o.uptime_secs);
    $('http-rate').textContent = perSec(o.http.recent.per_sec);
    $('http-errors').textContent = pct(o.http.recent.error_rate);
    $('http-p95').textContent = ms(o.http.recent.p95_ms);
    $('http-busy').textContent = o.http.in_flight;
    const open = o.backends.filter((b) => b.breaker === 'open').length;
    $('open-count').textContent = open;
    $('open-count').classList.toggle('alert', open > 0);
    $('window').textContent = `rates over the last ${Math.round(o.window_secs)} s`;
    $('backends').replaceChildren(...o.backends.map(backendRow));
    $('routes').replaceChildren(...(o.routes.length ? o.routes.map(routeRow) : [empty(6, 'No route.')]));
    $('tenants').replaceChildren(...o.tenants.map(tenantRow));
    $('reloads').replaceChildren(...(o.reloads.length ? o.reloads.map(reloadRow) : [empty(3, 'No reload since the start.')]));
    if ($('config').textContent !== o.config) $('config').textContent = o.config;
    document.title = open ? `crossdock · ${open} breaker${open === 1 ? '' : 's'} open` : 'crossdock';
  }

  function status(state, text) {
    $('status').dataset.state = state;
    $('status').textContent = text;
  }

  async function poll() {
    try {
      const r = await fetch('dashboard.json', { cache: 'no-store' });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      render(await r.json());
      status('live', `live · ${new Date().toISOString().slice(11, 19)} UTC`);
    } catch (e) {
      status('offline', `offline (${e.message})`);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }
  poll();
})();
