'use strict';
// ivrflow console: the flow files with their lint results, each flow drawn as a graph (laid out by the server,
// io.ivrflow.console.LayeredLayout), and a keypad that calls a flow through the simulator
// (/console/api/calls). Plain DOM, no library; every text goes in as text, never as HTML.
(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  const state = {
    listing: null,   // GET /console/api/flows
    flow: null,      // GET /console/api/flows/{id}
    node: null,      // id of the node whose card is open
    call: null,      // the call on the keypad, as the API last showed it
    heardShown: 0,   // prompts of the call already on screen (newer ones are flashed and played)
    busy: false,
  };

  // ------------------------------------------------------------------ DOM helpers

  function el(tag, attrs, ...children) {
    return build(document.createElement(tag), attrs, children);
  }

  function sv(tag, attrs, ...children) {
    return build(document.createElementNS(SVG, tag), attrs, children);
  }

  /** Replaces an element's content (arrays are flattened, null and false left out). */
  function fill(e, ...children) {
    e.replaceChildren();
    return build(e, null, children);
  }

  function build(e, attrs, children) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  async function request(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' }, cache: 'no-store' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      // not JSON: the status says enough
    }
    if (!response.ok) {
      const error = new Error(data && data.error ? data.error : `${method} ${path}: HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function problem(message) {
    $('problem').textContent = message || '';
    $('problem').hidden = !message;
  }

  function seconds(ms) {
    const s = ms / 1000;
    return `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}`;
  }

  // ------------------------------------------------------------------ the flow list and lint results

  async function loadFlows() {
    state.listing = await request('GET', '/console/api/flows');
    const when = state.listing.lastReload ? new Date(state.listing.lastReload) : null;
    $('reloaded').textContent = when ? `flows read at ${when.toLocaleTimeString()}` : '';
    renderList();
    renderOverview();
  }

  function hrefOf(f) {
    return f.id ? `#/flow/${encodeURIComponent(f.id)}` : `#/file/${encodeURIComponent(f.file)}`;
  }

  const STATUS = { ok: 'ok', 'stale-with-errors': 'stale: errors', invalid: 'invalid' };

  function counts(f) {
    return [
      f.errors ? el('span', { class: 'count-error' }, `${f.errors} error${f.errors > 1 ? 's' : ''}`) : null,
      f.warnings ? el('span', { class: 'count-warning' }, `${f.warnings} warning${f.warnings > 1 ? 's' : ''}`) : null,
    ];
  }

  function renderList() {
    const selected = location.hash;
    fill($('flow-list'), ...state.listing.flows.map((f) => {
      const errors = f.diagnostics.filter((d) => d.severity === 'error');
      return el('li', {
        class: 'flow-item' + (hrefOf(f) === selected ? ' selected' : ''),
        'data-flow': f.id || '', 'data-file': f.file, 'data-status': f.status,
      }, el('a', { href: hrefOf(f) },
        el('div', { class: 'name' }, f.id || f.file),
        el('div', { class: 'facts' },
          el('span', { class: `badge ${f.status}` }, STATUS[f.status] || f.status),
          f.id ? `${f.nodeCount} nodes` : null,
          f.id && f.file !== `${f.id}.json` ? f.file : null,
          counts(f)),
        // a file that does not serve as written says why right here
        f.status !== 'ok' && errors.length ? el('ul', { class: 'flow-errors' },
          errors.slice(0, 3).map((d) => el('li', {}, `[${d.rule}] ${d.message}`)),
          errors.length > 3 ? el('li', {}, `and ${errors.length - 3} more`) : null) : null));
    }));
  }

  function diagnosticsTable(diagnostics, withFile, onNode) {
    return el('table', { class: 'diagnostics' },
      el('thead', {}, el('tr', {},
        withFile ? el('th', {}, 'File') : null, el('th', {}, 'Severity'), el('th', {}, 'Rule'),
        el('th', {}, 'Where'), el('th', {}, 'Message'))),
      el('tbody', {}, diagnostics.map(({ file, href, d }) => el('tr', {
        class: `diagnostic ${d.severity}` + (onNode && d.node ? ' clickable' : ''),
        'data-rule': d.rule, 'data-node': d.node || '',
        onclick: onNode && d.node ? () => onNode(d.node) : null,
      },
      withFile ? el('td', { class: 'mono' }, el('a', { href }, file)) : null,
      el('td', {}, el('span', { class: `badge ${d.severity}` }, d.severity)),
      el('td', { class: 'mono' }, d.rule),
      el('td', { class: 'mono' }, (d.pointer || '/') + (d.line > 0 ? ` (line ${d.line})` : '')),
      el('td', {}, d.message)))));
  }

  function renderOverview() {
    const all = [];
    for (const f of state.listing.flows) {
      for (const d of f.diagnostics) all.push({ file: f.file, href: hrefOf(f), d });
    }
    const clean = state.listing.flows.filter((f) => f.diagnostics.length === 0).map((f) => f.file);
    const files = state.listing.flows;
    const serving = files.filter((f) => f.id).length;
    const errors = files.reduce((n, f) => n + f.errors, 0);
    const warnings = files.reduce((n, f) => n + f.warnings, 0);
    fill($('all-diagnostics'),
      el('p', { id: 'lint-totals' }, `${files.length} flow file${files.length === 1 ? '' : 's'}: ${serving} serving`
        + `${files.length > serving ? `, ${files.length - serving} not loaded` : ''}; `
        + `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`),
      all.length ? diagnosticsTable(all, true, null) : null,
      clean.length ? el('p', { class: 'clean' }, `No problems in ${clean.join(', ')}.`) : null);
  }

  function renderLint(diagnostics) {
    const lint = $('flow-lint');
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    lint.className = 'lint' + (errors ? ' has-error' : warnings ? ' has-warning' : '');
    $('flow-lint-summary').textContent = diagnostics.length === 0 ? 'Lint: no problems'
      : `Lint: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    fill($('flow-lint-list'), diagnostics.length
      ? diagnosticsTable(diagnostics.map((d) => ({ d })), false, selectNode) : el('p', { class: 'clean' }, 'Nothing to report.'));
    lint.open = diagnostics.length > 0;
  }

  // ------------------------------------------------------------------ pages

  async function route() {
    problem('');
    const m = location.hash.match(/^#\/(flow|file)\/(.+)$/);
    try {
      if (!state.listing) await loadFlows();
      renderList();
      if (!m) {
        showOverview();
      } else if (m[1] === 'flow') {
        await openFlow(decodeURIComponent(m[2]));
      } else {
        openFile(decodeURIComponent(m[2]));
      }
    } catch (e) {
      problem(e.message);
    }
  }

  function showOverview() {
    state.flow = null;
    $('overview').hidden = false;
    $('flow').hidden = true;
    $('phone').hidden = true;
  }

  /** A file that never loaded: its errors, no picture, no keypad. */
  function openFile(file) {
    const f = state.listing.flows.find((x) => x.file === file);
    if (!f) {
      problem(`No flow file ${file}`);
      showOverview();
      return;
    }
    state.flow = null;
    $('overview').hidden = true;
    $('flow').hidden = false;
    $('phone').hidden = true;
    $('flow-title').textContent = f.file;
    $('flow-status').className = `badge ${f.status}`;
    $('flow-status').textContent = STATUS[f.status] || f.status;
    $('flow-meta').textContent = 'this file does not load, so no flow serves for it';
    renderLint(f.diagnostics);
    fill($('graph-holder'), el('p', { class: 'muted' }, 'Fix the errors above to see this flow.'));
    $('node-card').hidden = true;
    fill($('legend'));
  }

  async function openFlow(id) {
    const flow = await request('GET', `/console/api/flows/${encodeURIComponent(id)}`);
    if (!state.flow || state.flow.id !== flow.id) {
      state.call = null; // another flow: its own keypad
      state.node = null;
    }
    state.flow = flow;
    $('overview').hidden = true;
    $('flow').hidden = false;
    $('flow-title').textContent = flow.id;
    $('flow-status').className = `badge ${flow.status}`;
    $('flow-status').textContent = STATUS[flow.status] || flow.status;
    $('flow-meta').textContent = [`${flow.nodes.length} nodes`, `starts at ${flow.start}`,
      flow.languages.join(' / '), flow.timezone, flow.file, `version ${flow.version}`,
      flow.fileVersion !== flow.version ? `the file's version ${flow.fileVersion} is refused` : null]
      .filter(Boolean).join(' · ');
    $('flow').dataset.version = flow.version;
    renderLint(flow.diagnostics);
    renderGraph();
    renderLegend();
    setUpPhone();
    renderCall();
    if (state.node) selectNode(state.node); else $('node-card').hidden = true;
  }

  // ------------------------------------------------------------------ the graph

  const KIND_ORDER = ['key', 'condition', 'schedule', 'result', 'retry', 'failure', 'next'];
  const KIND_COLOUR = { key: '#3b6fd8', condition: '#d68a00', schedule: '#d68a00', result: '#8e44c9',
    retry: '#b06000', failure: '#c5221f', next: '#9aa0a6', taken: '#f29900' };

  function edgeKind(e) {
    const kinds = e.labels.map((l) => l.kind);
    return KIND_ORDER.find((k) => kinds.includes(k)) || 'next';
  }

  function markers() {
    return sv('defs', {}, Object.entries(KIND_COLOUR).map(([kind, colour]) => sv('marker', {
      id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse',
    }, sv('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }))));
  }

  /** Straight inside a layer, an S-bend between layers (the server put a point at each layer's top and bottom). */
  function pathOf(points, selfLoop) {
    let d = `M${points[0].x},${points[0].y}`;
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1];
      const b = points[i];
      if (selfLoop || a.x === b.x || a.y === b.y) {
        d += ` L${b.x},${b.y}`;
      } else {
        const mid = (a.y + b.y) / 2;
        d += ` C${a.x},${mid} ${b.x},${mid} ${b.x},${b.y}`;
      }
    }
    return d;
  }

  function shapeOf(n) {
    const { x, y, width: w, height: h } = n;
    if (n.family === 'decision') {
      const c = 10;
      return sv('polygon', { class: 'shape', points: `${x + c},${y} ${x + w - c},${y} ${x + w},${y + h / 2} ${x + w - c},${y + h} ${x + c},${y + h} ${x},${y + h / 2}` });
    }
    const round = n.family === 'exit' || n.family === 'end' ? h / 2 : 6;
    return sv('rect', { class: 'shape', x, y, width: w, height: h, rx: round });
  }

  function renderGraph() {
    const flow = state.flow;
    const g = flow.graph;
    const byNode = Object.fromEntries(flow.nodes.map((n) => [n.id, n]));
    const lines = sv('g', { class: 'edges' });
    const labels = sv('g', { class: 'labels' });
    for (const e of g.edges) {
      const kind = edgeKind(e);
      const data = { 'data-from': e.from, 'data-to': e.to, 'data-kind': kind };
      lines.append(sv('g', { class: `edge ${kind}`, ...data },
        sv('path', { d: pathOf(e.points, e.selfLoop), 'marker-end': `url(#arrow-${kind})` })));
      if (e.label) {
        const b = e.label;
        // drawn after every line, so no line runs over a label
        labels.append(sv('g', { class: `edge ${kind} lbl`, ...data },
          sv('g', { class: 'label' },
            sv('rect', { x: b.x, y: b.y, width: b.width, height: b.height, rx: 3 }),
            e.labels.map((l, i) => sv('text', {
              x: b.x + b.width / 2, y: b.y + 13 + i * 14, 'text-anchor': 'middle', class: `edge-label k-${l.kind}`,
            }, l.text)))));
      }
    }
    const nodes = sv('g', { class: 'nodes' });
    for (const n of g.nodes) {
      const detail = byNode[n.id];
      const errors = detail.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = detail.diagnostics.length - errors;
      const cx = n.x + n.width / 2;
      nodes.append(sv('g', {
        class: `node ${n.family}` + (n.start ? ' start' : '') + (errors ? ' has-error' : ''),
        'data-node': n.id, 'data-kind': n.kind, tabindex: 0, role: 'button',
        onclick: () => selectNode(n.id),
        onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); selectNode(n.id); } },
      },
      sv('title', {}, `${n.id}: ${n.kind}${n.start ? ' (start)' : ''}`),
      shapeOf(n),
      sv('text', { class: 'name', x: cx, y: n.y + 17, 'text-anchor': 'middle' }, n.id),
      sv('text', { class: 'summary', x: cx, y: n.y + 32, 'text-anchor': 'middle' }, n.summary),
      errors || warnings ? sv('text', {
        class: `flag ${errors ? 'error' : 'warning'}`, x: n.x + n.width - 4, y: n.y + 12, 'text-anchor': 'end',
      }, '⚠') : null));
    }
    const svg = sv('svg', {
      id: 'graph', width: g.width, height: g.height, viewBox: `0 0 ${g.width} ${g.height}`, role: 'img',
      'aria-label': `Flow ${flow.id}: ${g.nodes.length} nodes`,
    }, markers(), lines, labels, nodes);
    fill($('graph-holder'), svg);
    highlight(false);
  }

  function renderLegend() {
    const families = [['input', 'reads keys'], ['say', 'says'], ['decision', 'decides'], ['action', 'looks up, sets, records'],
      ['jump', 'goes to / sub-flow'], ['exit', 'leaves the IVR'], ['end', 'hangs up']];
    const edges = [['key', 'key'], ['condition', 'condition / schedule'], ['result', 'lookup answer'],
      ['retry', 'no input / no match'], ['failure', 'failure'], ['next', 'next']];
    fill($('legend'),
      ...families.map(([family, text]) => el('span', {}, sv('svg', { width: 22, height: 14 },
        sv('g', { class: `node ${family}` }, shapeOf({ family, x: 1, y: 1, width: 20, height: 12 }))), text)),
      ...edges.map(([kind, text]) => el('span', {}, sv('svg', { width: 26, height: 10 },
        sv('g', { class: `edge ${kind}` }, sv('path', { d: 'M1,5 L25,5' }))), text)));
  }

  /** The call on the graph: nodes it went through, exits it took, the node it is at. */
  function highlight(follow) {
    const svg = $('graph');
    if (!svg) return;
    svg.querySelectorAll('.visited, .current, .taken').forEach((e) => e.classList.remove('visited', 'current', 'taken'));
    svg.querySelectorAll('.edges .edge path').forEach((p) => p.setAttribute('marker-end', `url(#arrow-${p.parentNode.dataset.kind})`));
    svg.querySelectorAll('.node.selected').forEach((e) => e.classList.remove('selected'));
    if (state.node) nodeElement(state.node)?.classList.add('selected');
    const call = state.call;
    if (!call) return;
    const flowId = state.flow.id;
    let last = null;
    for (const t of call.trace) {
      if (t.flow !== flowId) continue;
      nodeElement(t.node)?.classList.add('visited');
      last = t.node;
      if (t.from) {
        svg.querySelectorAll(`.edge[data-from="${CSS.escape(t.from)}"][data-to="${CSS.escape(t.node)}"]`).forEach((e) => {
          e.classList.add('taken');
          e.querySelector('path')?.setAttribute('marker-end', 'url(#arrow-taken)');
        });
      }
    }
    // in a sub-flow, the call is at this flow's sub-flow node
    const frame = call.node.flow === flowId ? call.node.id
      : (call.node.stack.map((s) => s.split('/')).find(([f]) => f === flowId) || [])[1] || last;
    const current = frame ? nodeElement(frame) : null;
    if (current) {
      current.classList.add('current');
      if (follow) current.scrollIntoView({ block: 'center', inline: 'nearest' });
    }
  }

  function nodeElement(id) {
    return $('graph')?.querySelector(`.node[data-node="${CSS.escape(id)}"]`);
  }

  // ------------------------------------------------------------------ a node's card

  function said(language, words, ssml, sound) {
    return el('div', { class: 'said' },
      el('span', { class: 'lang' }, language),
      el('span', { class: ssml ? 'words ssml' : 'words' }, words),
      soundOf(sound));
  }

  /** A player for audio the console has; a marker for words the platform speaks itself. */
  function soundOf(sound) {
    if (!sound) return null;
    if (sound.url) return el('audio', { controls: true, preload: 'none', src: sound.url, 'data-source': sound.source });
    const marks = { tts: ['TTS', 'no audio made yet: the platform speaks these words'],
      media: ['PLATFORM SOUND', sound.detail], remote: ['REMOTE AUDIO', sound.detail] };
    const [text, title] = marks[sound.source] || [sound.source, ''];
    return [el('span', { class: 'tts', title }, text),
      sound.source === 'tts' && sound.detail ? el('div', { class: 'count-warning' }, sound.detail) : null];
  }

  function selectNode(id) {
    const d = state.flow && state.flow.nodes.find((n) => n.id === id);
    if (!d) return;
    state.node = id;
    const card = $('node-card');
    const exitTarget = (x) => x.target
      ? el('a', { href: '#', onclick: (ev) => { ev.preventDefault(); selectNode(x.target); } }, x.target)
      : el('span', { class: 'count-error' }, 'nowhere');
    fill(card,
      el('h2', {}, d.id, el('span', { class: 'badge' }, d.kind),
        el('button', { class: 'close', type: 'button', title: 'Close', onclick: closeCard }, '×')),
      d.id === state.flow.start ? el('p', { class: 'muted' }, 'Calls start here.') : null,
      d.subflow ? el('p', {}, el('a', { class: 'subflow-link', href: `#/flow/${encodeURIComponent(d.subflow)}` },
        `Open ${d.subflow}`)) : null,
      el('table', {}, el('tbody', {}, d.facts.map((f) => el('tr', {}, el('td', {}, f.name), el('td', {}, f.value))))),
      d.prompts.length ? el('h3', {}, 'Prompts') : null,
      d.prompts.map((p) => el('div', { class: 'prompt' }, el('div', { class: 'role' }, p.role),
        p.languages.map((w) => said(w.language, w.text ?? `recording ${w.sound.detail || ''}`, w.ssml, w.sound)))),
      d.exits.length ? el('h3', {}, 'Exits') : null,
      d.exits.length ? el('table', { class: 'exits' }, el('tbody', {}, d.exits.map((x) =>
        el('tr', {}, el('td', {}, x.label), el('td', {}, '→ ', exitTarget(x)))))) : null,
      d.diagnostics.length ? el('h3', {}, 'Lint') : null,
      d.diagnostics.map((x) => el('div', { class: `said ${x.severity}` },
        el('span', { class: `badge ${x.severity}` }, x.rule), ' ', x.message)),
      el('div', { class: 'card-actions' },
        el('button', { type: 'button', onclick: () => { $('start').value = d.id; dial(); } }, 'Call from here')));
    card.hidden = false;
    highlight(false);
  }

  function closeCard() {
    state.node = null;
    $('node-card').hidden = true;
    highlight(false);
  }

  // ------------------------------------------------------------------ the phone

  const KEYS = [['1', ''], ['2', 'ABC'], ['3', 'DEF'], ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
    ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'], ['*', ''], ['0', '+'], ['#', '']];

  function buildKeypad() {
    fill(document.querySelector('.keypad'), ...KEYS.map(([key, letters]) => el('button', {
      class: 'key', type: 'button', 'data-key': key, 'aria-label': `key ${key}`, onclick: () => press(key),
    }, key, el('small', {}, letters || ' '))));
  }

  function setUpPhone() {
    const flow = state.flow;
    $('phone').hidden = false;
    const language = $('language').value;
    fill($('language'), ...flow.languages.map((l) => el('option', { value: l }, l)));
    $('language').value = flow.languages.includes(language) ? language : (flow.defaultLanguage || flow.languages[0]);
    $('at').title = `Wall-clock time in ${flow.timezone || 'UTC'}; empty: now`;
    $('at-label').textContent = `Time of the call in ${flow.timezone || 'UTC'} (empty: now)`;
    fill($('start'), el('option', { value: '' }, `${flow.start} (the start)`),
      ...flow.nodes.filter((n) => n.id !== flow.start).map((n) => el('option', { value: n.id }, n.id)));
  }

  async function dial() {
    const body = { flow: state.flow.id, caller: $('caller').value.trim(), language: $('language').value };
    if ($('start').value) body.start = $('start').value;
    if ($('at').value) body.at = $('at').value;
    if ($('world').value.trim()) {
      try {
        body.world = JSON.parse($('world').value);
      } catch (e) {
        problem(`The outside world is not JSON: ${e.message}`);
        return;
      }
    }
    await turn(() => request('POST', '/console/api/calls', body), true);
  }

  function press(key) {
    if (state.call && state.call.listening) turn(() => act('keys', { keys: key }));
  }

  function act(action, body) {
    return request('POST', `/console/api/calls/${encodeURIComponent(state.call.id)}/${action}`, body);
  }

  /** One turn of the caller: no other until the IVR has answered it. */
  async function turn(work, fresh) {
    if (state.busy) return;
    state.busy = true;
    renderButtons();
    try {
      const call = await work();
      problem('');
      if (fresh) {
        state.heardShown = 0;
        $('settings').open = false; // room for the call; the settings stay one click away
      }
      state.call = call;
    } catch (e) {
      if (e.status === 404 && state.call) {
        state.call = null;
        problem('This call is no longer kept by the service (it expired); start a new one.');
      } else {
        problem(e.message);
      }
    } finally {
      state.busy = false;
      renderCall();
    }
  }

  function renderButtons() {
    const c = state.call;
    const live = !!c && c.listening && !state.busy;
    document.querySelectorAll('.key').forEach((b) => { b.disabled = !live; });
    $('silence').disabled = !live;
    $('hangup').disabled = !c || c.ended || state.busy;
    $('dial').disabled = state.busy;
    $('dial').textContent = c && !c.ended ? 'Call again' : 'Call';
  }

  const OUTCOMES = {
    queued: (t) => `Queued for ${t}`, transferred: (t) => `Transferred to ${t}`, agent: (t) => `Put through to agent ${t}`,
    voicemail: (t) => `Left in voicemail box ${t}`, 'hung-up': (t) => `The IVR hung up${t ? ` (${t})` : ''}`,
    'caller-hung-up': (t) => `The caller hung up${t ? ` at ${t}` : ''}`,
  };

  function exitText(t) {
    const edge = state.flow.graph.edges.find((e) => e.from === t.from && e.to === t.node);
    const i = edge ? edge.exits.indexOf(t.exit) : -1;
    return i >= 0 ? edge.labels[i].text : t.exit;
  }

  function renderCall() {
    const c = state.call;
    $('call').hidden = !c;
    renderButtons();
    if (!c) {
      highlight(false);
      return;
    }
    const where = c.node.flow === c.flow ? c.node.id : `${c.node.flow}/${c.node.id}`;
    $('call').classList.toggle('over', c.ended || c.stuck);
    const status = $('call-status');
    status.dataset.phase = c.phase;
    fill(status, c.ended ? 'Call ended'
      : c.stuck ? `Stuck at ${where}: nothing more will happen`
        : c.listening ? `Listening at ${where}` : `${c.phase} at ${where}`,
    el('span', { class: 'sub' }, c.listening && c.silenceMillis !== null
      ? `The IVR waits ${(c.silenceMillis / 1000).toFixed(1)} s for a key · call time ${seconds(c.elapsedMillis)}`
      : `call time ${seconds(c.elapsedMillis)} · ${c.language}`));
    $('entry').textContent = c.entry || '';

    const outcome = $('outcome');
    outcome.hidden = !c.outcome && !c.stuck;
    if (c.outcome) {
      outcome.className = `outcome ${c.outcome.kind}`;
      fill(outcome, (OUTCOMES[c.outcome.kind] || (() => c.outcome.label))(c.outcome.target),
        el('div', { class: 'mono' }, c.outcome.label));
    } else if (c.stuck) {
      outcome.className = 'outcome stuck';
      outcome.textContent = `stuck at ${where}`;
    }

    // what the IVR said since the caller's last move
    fill($('saying'), c.heard.slice(state.heardShown).map((h) => el('p', {}, wordsOf(h))));
    const fresh = [];
    fill($('heard'), ...c.heard.map((h, i) => {
      const sound = soundOf(h.sound);
      if (i >= state.heardShown && sound instanceof HTMLAudioElement) fresh.push(sound);
      return el('li', { class: i >= state.heardShown ? 'new' : null, 'data-node': h.node, 'data-source': h.sound.source },
        el('div', { class: 'where' }, `${seconds(h.atMillis)} · ${h.flow && h.flow !== c.flow ? `${h.flow}/` : ''}${h.node} · ${h.language}`),
        el('span', { class: 'words' }, wordsOf(h)),
        h.interrupted ? el('span', { class: 'interrupted' }, 'interrupted') : null,
        sound);
    }));
    state.heardShown = c.heard.length;
    playInTurn(fresh);

    fill($('trace'), ...c.trace.map((t, i) => el('li', {
      'data-node': t.node, class: i === c.trace.length - 1 ? 'now' : null,
    }, t.flow !== c.flow ? `${t.flow}/${t.node}` : t.node,
    t.from ? el('span', { class: 'exit' }, ` ← ${t.flow === state.flow.id ? exitText(t) : t.exit} from ${t.from}`) : null)));
    $('timeline').textContent = c.timeline.join('\n');
    highlight(true);
  }

  /** What the caller heard: the words, or for a recording, which one. */
  function wordsOf(h) {
    return h.sound.source === 'recorded' && h.words.startsWith('[audio ') ? `recording ${h.sound.detail}` : h.words;
  }

  /** Plays the new recordings one after the other (what has no audio is read above, not spoken). */
  function playInTurn(players) {
    if (!$('sound').checked || players.length === 0) return;
    const [first, ...rest] = players;
    first.addEventListener('ended', () => playInTurn(rest), { once: true });
    first.play().catch(() => playInTurn(rest));
  }

  // ------------------------------------------------------------------ start

  buildKeypad();
  $('dial').addEventListener('click', dial);
  $('silence').addEventListener('click', () => turn(() => act('wait')));
  $('hangup').addEventListener('click', () => turn(() => act('hangup')));
  window.addEventListener('hashchange', route);
  route();
  // the service hot-reloads flows: keep the list and its lint results current, and redraw the open flow when the
  // version that serves (or the file, with its lint results) changed; a keypad call under way goes on
  function sameVersions(a, b) {
    return a.version === b.version && a.fileVersion === b.fileVersion && a.status === b.status;
  }
  async function refresh() {
    await loadFlows();
    const open = state.flow;
    if (!open) return;
    const now = state.listing.flows.find((f) => f.id === open.id);
    if (!now) {
      problem(`${open.id} no longer serves: this is its last version`);
    } else if (!sameVersions(now, open) && state.flow === open) {
      await openFlow(open.id);
    }
  }
  setInterval(() => refresh().catch(() => {}), 3000);
})();
