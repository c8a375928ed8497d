// jfrpc's admin page: polls /api/jfrp/status every 2 s (textContent only: errors carry the server's words).
const $ = (id) => document.getElementById(id);

function fill(id, rows) {
  const tbody = $(id).querySelector('tbody');
  tbody.replaceChildren();
  for (const cells of rows) {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = c.text ?? '';
      if (c.cls) td.className = c.cls;
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
}

async function poll() {
  try {
    const resp = await fetch('/api/jfrp/status', { cache: 'no-store' });
    if (!resp.ok) throw new Error('the admin API answered ' + resp.status);
    const s = await resp.json();
    const up = s.state === 'CONNECTED';
    $('summary').textContent = s.state + ' to ' + s.server + (s.rttMillis == null ? '' : ', rtt ' + s.rttMillis.toFixed(1) + ' ms')
      + ', ' + s.reconnects + ' reconnects, runId ' + s.runId;
    $('error').textContent = s.lastError ? 'last error' + (s.lastErrorAt ? ' at ' + new Date(s.lastErrorAt).toLocaleString() : '')
      + ': ' + s.lastError : '';
    fill('channels', s.channels.map((c) => [{ text: c.name }, { text: c.protocol }, { text: c.address },
      { text: c.state, cls: c.state === 'active' ? 'good' : c.state === 'failed' ? 'bad' : '' },
      { text: c.rttMillis == null ? '-' : c.rttMillis.toFixed(1) + ' ms' }, { text: c.lastError }]));
    fill('proxies', s.proxies.map((p) => [{ text: p.name }, { text: p.type },
      { text: p.state, cls: p.state === 'running' ? 'good' : p.state === 'refused' ? 'bad' : '' },
      { text: p.local }, { text: String(p.remotePort || '') }, { text: p.lastError }]));
    document.body.dataset.state = up ? 'up' : 'down';
  } catch (e) {
    $('summary').textContent = 'cannot reach jfrpc: ' + e.message;
  } finally {
    setTimeout(poll, 2000);
  }
}

poll();
