// The SRE page: holds no data itself. It keeps a bearer token in this tab's sessionStorage and reads one endpoint,
// GET /providers/Parma.Operations/overview, with it. Everything shown is set with textContent, never as HTML:
// denial reasons and container names come from tenants.
'use strict';

const ENDPOINT = '/providers/Parma.Operations/overview?api-version=2025-09-01&top=20';
const KEY = 'parma.sre.token';
const PHASES = ['Pending', 'Creating', 'Updating', 'Succeeded', 'Repairing', 'Failed', 'Stopped', 'Deleting'];

const $ = (id) => document.getElementById(id);

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === undefined || c === null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function badge(text, kind) {
  return el('span', { class: 'badge' + (kind ? ' ' + kind : '') }, text);
}

function utc(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().replace('T', ' ').slice(0, 19);
}

function ago(iso, now) {
  const s = Math.max(0, Math.round((now - new Date(iso)) / 1000));
  if (s < 90) return s + ' s ago';
  if (s < 5400) return Math.round(s / 60) + ' min ago';
  return Math.round(s / 3600) + ' h ago';
}

function num(x, digits) {
  return x === undefined || x === null ? '—' : Number(x).toFixed(digits);
}

function fill(section, rows, columns, empty) {
  const body = $(section).querySelector('tbody');
  body.replaceChildren();
  if (rows.length === 0) {
    body.append(el('tr', {}, el('td', { class: 'empty', colspan: columns }, empty)));
    return;
  }
  rows.forEach((r) => body.append(r));
}

function td(content, cls, title) {
  return el('td', { class: cls, title }, content);
}

function renderNodes(nodes, now) {
  const live = nodes.filter((n) => n.live).length;
  $('nodes-summary').textContent = `${live} live, ${nodes.length - live} lost`;
  fill('nodes', nodes.map((n) => {
    const snp = n.snp ? badge(n.simulated ? 'SNP (simulated)' : 'SNP', n.simulated ? 'warn' : 'ok') : '—';
    return el('tr', { 'data-node': n.id },
      td(n.id, 'mono'),
      td(badge(n.live ? 'live' : 'lost', n.live ? 'ok' : 'bad')),
      td(n.driver),
      td(snp),
      td(n.tcb || '—', 'mono'),
      td(num(n.cpuCapacity, 1), 'num'),
      td(num(n.cpuReserved, 1), 'num'),
      td(num(n.cpuCapacity - n.cpuReserved, 1), 'num'),
      td(num(n.memoryCapacityInGB, 1), 'num'),
      td(num(n.memoryReservedInGB, 1), 'num'),
      td(num(n.memoryCapacityInGB - n.memoryReservedInGB, 1), 'num'),
      td(n.groups, 'num'),
      td(ago(n.lastSeen, now), 'when', utc(n.lastSeen) + ' UTC'));
  }), 13, 'No node has sent a heartbeat yet.');
}

function renderGroups(groups) {
  const byPhase = new Map();
  for (const g of groups) {
    const p = byPhase.get(g.phase) || { total: 0, skus: [] };
    p.total += g.count;
    p.skus.push(`${g.count} ${g.sku}`);
    byPhase.set(g.phase, p);
  }
  const total = groups.reduce((a, g) => a + g.count, 0);
  $('groups-summary').textContent = `${total} in all`;
  const tiles = $('groups').querySelector('.tiles');
  tiles.replaceChildren();
  const order = PHASES.concat([...byPhase.keys()].filter((p) => !PHASES.includes(p)));
  for (const phase of order) {
    const p = byPhase.get(phase) || { total: 0, skus: [] };
    tiles.append(el('div', { class: 'tile ' + phase, 'data-phase': phase, 'data-count': p.total },
      el('div', { class: 'phase' }, phase),
      el('div', { class: 'count' }, p.total),
      el('div', { class: 'split' }, p.skus.join(' · ') || '\u00a0')));
  }
}

function groupCell(resourceId) {
  const m = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/.*\/containerGroups\/([^/]+)$/i.exec(resourceId || '');
  if (!m) return td(resourceId || '—', 'mono');
  return el('td', { title: resourceId }, el('strong', {}, m[3]), el('div', { class: 'sd' }, `${m[1]} / ${m[2]}`));
}

function renderDenials(denials) {
  fill('denials', denials.map((d) => el('tr', {},
    td(utc(d.time), 'when'),
    groupCell(d.resourceId),
    td(d.container || '—', 'mono'),
    td(badge(d.enforcementPoint, d.enforcementPoint === 'preflight' ? 'warn' : 'bad')),
    td(d.count > 1 ? `${d.reason} (×${d.count})` : d.reason, 'reason'))), 5, 'No policy denials.');
}

function renderFailures(part) {
  if (!part || !part.available) {
    fill('attestation-failures', [], 5, 'Unavailable: ' + ((part && part.reason) || 'no answer.'));
    return;
  }
  fill('attestation-failures', part.value.map((f) => el('tr', {},
    td(utc(f.time), 'when'),
    td(badge(f.code, 'bad')),
    td(f.status, 'num'),
    td(f.tenant || 'provider'),
    td(f.caller || '—', 'mono'))), 5, 'No failed attestations.');
}

function meanSd(side, key) {
  if (!side) return '—';
  return el('span', {}, num(side[key + 'Seconds'], 3), el('span', { class: 'sd' }, ' ± ' + num(side[key + 'Stddev'], 3)));
}

function renderOverhead(o) {
  const asked = o.answered.length + o.unavailable.length;
  $('overhead-summary').textContent = asked === 0
    ? 'no live node'
    : `from ${o.answered.length} of ${asked} live node${asked === 1 ? '' : 's'}`
      + (o.unavailable.length ? ` (not available: ${o.unavailable.join(', ')})` : '');
  const empty = o.answered.length === 0
    ? 'Unavailable: no live node serves its overhead summary yet.'
    : 'No finished containers measured yet.';
  fill('overhead', o.workloads.map((w) => el('tr', { 'data-workload': w.workload },
    td(w.workload, 'mono'),
    td(w.confidential ? w.confidential.runs : 0, 'num'),
    td(w.standard ? w.standard.runs : 0, 'num'),
    td(meanSd(w.confidential, 'cpu'), 'num'),
    td(meanSd(w.standard, 'cpu'), 'num'),
    td(w.cpuRatio == null ? '—' : num(w.cpuRatio, 2) + '×', 'num'),
    td(meanSd(w.confidential, 'wall'), 'num'),
    td(meanSd(w.standard, 'wall'), 'num'),
    td(w.wallRatio == null ? '—' : num(w.wallRatio, 2) + '×', 'num'),
    td(w.policyShare == null ? '—' : num(w.policyShare * 100, 2) + ' %', 'num'))), 10, empty);
}

function show(overview) {
  const now = new Date(overview.generatedAt || Date.now());
  renderNodes(overview.nodes || [], now);
  renderGroups(overview.groups || []);
  renderDenials(overview.denials || []);
  renderFailures(overview.attestationFailures);
  renderOverhead(overview.overhead || { answered: [], unavailable: [], workloads: [] });
  $('generated').textContent = 'as of ' + utc(overview.generatedAt) + ' UTC';
  $('overview').hidden = false;
  $('login').hidden = true;
  $('refresh').hidden = false;
  $('forget').hidden = false;
}

function fail(headline, detail, askForToken) {
  const m = $('message');
  m.replaceChildren(el('strong', {}, headline), el('span', { class: 'detail' }, detail));
  m.className = 'error';
  m.hidden = false;
  $('overview').hidden = true;
  $('generated').textContent = '';
  if (askForToken) {
    $('login').hidden = false;
    $('refresh').hidden = true;
    $('forget').hidden = true;
  }
}

async function load() {
  const token = sessionStorage.getItem(KEY);
  if (!token) {
    $('login').hidden = false;
    return;
  }
  let response;
  try {
    response = await fetch(ENDPOINT, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
  } catch (e) {
    fail('The gateway cannot be reached.', 'Retry in a moment.', false);
    return;
  }
  let body = null;
  try { body = await response.json(); } catch (e) { /* not JSON: described by the status below */ }
  const err = body && body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`;
  if (response.status === 200) {
    $('message').hidden = true;
    show(body);
  } else if (response.status === 403) {
    sessionStorage.removeItem(KEY);
    fail('Forbidden: this token does not carry the SRE role.', 'The SRE overview is for the sre role only. '
      + 'Paste a token with that role. (' + err + ')', true);
  } else if (response.status === 401) {
    sessionStorage.removeItem(KEY);
    fail('The token was not accepted.', 'Paste a current token with the sre role. (' + err + ')', true);
  } else {
    fail('The overview could not be loaded.', err, false);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token').value.trim().replace(/^Bearer\s+/i, '');
    $('token').value = '';
    if (token) {
      sessionStorage.setItem(KEY, token);
      load();
    }
  });
  $('refresh').addEventListener('click', load);
  $('forget').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    $('overview').hidden = true;
    $('message').hidden = true;
    $('refresh').hidden = true;
    $('forget').hidden = true;
    $('generated').textContent = '';
    $('login').hidden = false;
  });
  load();
  // a page left open stays current; a failed load stops nothing, the next one retries
  setInterval(() => { if (!document.hidden && sessionStorage.getItem(KEY)) load(); }, 30000);
});
