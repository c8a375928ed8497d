// jfrps's dashboard: polls /api/jfrp/overview every 2 s and draws it. Plain DOM (textContent only: every
// name, address and reason comes from a peer), and uPlot for the traffic chart.
const POLL_MS = 2000;
const KEEP_POINTS = 150; // 5 minutes at one point every 2 s

const $ = (id) => document.getElementById(id);
const history = { t: [], series: new Map() }; // proxy name -> rates (bytes/s), aligned with t
let last = null; // previous overview and its time, for rates
let chart = null;
let chartNames = [];

function human(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

function row(tbody, cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c.text;
    if (c.cls) td.className = c.cls;
    tr.appendChild(td);
  }
  tbody.appendChild(tr);
  return tr;
}

function fill(tableId, rows, empty) {
  const tbody = $(tableId).querySelector('tbody');
  tbody.replaceChildren();
  if (rows.length === 0) {
    const tr = row(tbody, [{ text: empty, cls: 'empty' }]);
    tr.firstChild.colSpan = $(tableId).querySelectorAll('th').length;
  }
  for (const r of rows) row(tbody, r);
}

function rates(now, o) {
  const out = new Map();
  for (const p of o.proxies) {
    const before = last && last.o.proxies.find((q) => q.name === p.name);
    const secs = last ? (now - last.at) / 1000 : 0;
    const bytes = before ? (p.trafficIn + p.trafficOut) - (before.trafficIn + before.trafficOut) : 0;
    out.set(p.name, secs > 0 ? Math.max(0, bytes / secs) : 0);
  }
  return out;
}

function record(now, r) {
  history.t.push(now / 1000);
  for (const name of r.keys()) {
    if (!history.series.has(name)) history.series.set(name, new Array(history.t.length - 1).fill(null));
  }
  for (const [name, values] of history.series) values.push(r.has(name) ? r.get(name) : null);
  while (history.t.length > KEEP_POINTS) {
    history.t.shift();
    for (const values of history.series.values()) values.shift();
  }
}

function draw() {
  const names = [...history.series.keys()].sort();
  const data = [history.t, ...names.map((n) => history.series.get(n))];
  const el = $('chart');
  if (!chart || names.join('\n') !== chartNames.join('\n')) {
    if (chart) chart.destroy();
    const palette = ['#2f6fde', '#e0731d', '#1b9e5a', '#c2378c', '#7a5ce0', '#b8860b', '#0f8b8d', '#a33'];
    chart = new uPlot({
      width: Math.max(400, el.clientWidth - 16), height: 240,
      series: [{}, ...names.map((n, i) => ({ label: n, stroke: palette[i % palette.length], width: 2,
        value: (u, v) => v == null ? '-' : human(v) + '/s' }))],
      axes: [{}, { values: (u, vals) => vals.map((v) => human(v) + '/s'), size: 96 }],
    }, data, el);
    chartNames = names;
  } else {
    chart.setData(data);
  }
  // What the browser test reads: how many points there are, and the latest total rate.
  const lastTotal = names.reduce((s, n) => s + (history.series.get(n).at(-1) || 0), 0);
  el.dataset.points = String(history.t.length);
  el.dataset.lastRate = String(Math.round(lastTotal));
}

function render(now, o) {
  $('version').textContent = o.version;
  $('clientsOnline').textContent = o.clientsOnline;
  $('sessionsInGrace').textContent = o.sessionsInGrace;
  $('proxyCount').textContent = o.proxies.length;
  $('connections').textContent = o.connections;
  const r = rates(now, o);
  fill('proxies', o.proxies.map((p) => [
    { text: p.name }, { text: p.type }, { text: String(p.port) }, { text: p.status, cls: p.status },
    { text: String(p.connections) }, { text: human(p.trafficIn) }, { text: human(p.trafficOut) },
    { text: human(r.get(p.name) || 0) + '/s' }, { text: p.client },
    { text: Object.entries(p.annotations).map(([k, v]) => k + '=' + v).join(', ') },
  ]), 'no proxies');
  fill('clients', o.clients.map((c) => [
    { text: c.runId }, { text: c.user }, { text: c.host }, { text: c.address },
    { text: c.online ? 'online' : 'away (in grace)', cls: c.online ? 'online' : 'away' },
  ]), 'no clients');
  const counts = Object.entries(o.loginFailures);
  $('loginCounts').textContent = counts.length === 0 ? 'none since the server started'
    : counts.map(([k, v]) => k + ': ' + v).join(', ');
  fill('logins', o.recentLoginFailures.map((f) => [
    { text: new Date(f.at).toLocaleString() }, { text: f.address }, { text: f.user }, { text: f.reason },
  ]), 'none');
  record(now, r);
  draw();
  last = { o, at: now };
}

async function poll() {
  const status = $('status');
  try {
    const resp = await fetch('/api/jfrp/overview', { cache: 'no-store' });
    if (!resp.ok) throw new Error('the server answered ' + resp.status);
    const o = await resp.json();
    render(Date.now(), o);
    status.textContent = 'updated ' + new Date().toLocaleTimeString();
    status.className = '';
  } catch (e) {
    status.textContent = 'cannot reach the server: ' + e.message;
    status.className = 'down';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

poll();
