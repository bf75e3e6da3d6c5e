// Live top 10 of the shown board: Socket.IO push (room leaderboard:{key}) when a token can be had (dev tokens),
// otherwise polling GET /api/boards/{key}/leaderboard.
'use strict';
(function () {
  const POLL_MS = 3000;
  const tbody = document.querySelector('#board tbody');
  const statusEl = document.getElementById('status');
  const snapshotEl = document.getElementById('snapshot');
  let board = (/^#board=([a-z0-9-]{1,32})$/.exec(location.hash) || [])[1] || 'global';
  let current = { version: -1, data: [] };
  let pollTimer;
  let socket;

  const roomOf = (key) => 'leaderboard:' + key;

  async function json(path, options) {
    const response = await fetch(path, options);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(String(body.message || response.statusText)), { status: response.status, response });
    return body;
  }

  /** A dev token for the given claims (viewer: none; player: {sub}; backend: {scope}). */
  function devToken(claims) {
    return json('/api/auth/dev-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(claims || {}),
    }).then((body) => body.accessToken);
  }

  function setStatus(state, text) {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  }

  function moveCell(previous, rank) {
    const span = document.createElement('span');
    span.className = 'move';
    if (previous === undefined) return span;
    if (previous === null) Object.assign(span, { className: 'move new', textContent: '★', title: 'new in the top 10' });
    else if (rank < previous)
      Object.assign(span, { className: 'move up', textContent: '▲' + (previous - rank), title: 'up ' + (previous - rank) });
    else if (rank > previous)
      Object.assign(span, { className: 'move down', textContent: '▼' + (rank - previous), title: 'down ' + (rank - previous) });
    if (span.title) span.setAttribute('aria-label', span.title);
    return span;
  }

  function row(entry, before, first) {
    const tr = document.createElement('tr');
    tr.dataset.id = entry.id;
    const old = before.get(entry.id);
    if (!first && (!old || old.rank !== entry.rank || old.score !== entry.score)) tr.className = 'changed';
    const rank = document.createElement('td');
    rank.className = 'rank';
    rank.append(String(entry.rank), moveCell(first ? undefined : old ? old.rank : null, entry.rank));
    const name = document.createElement('td');
    name.className = 'name';
    name.textContent = entry.name;
    const score = document.createElement('td');
    score.className = 'num';
    score.textContent = entry.score.toLocaleString();
    tr.append(rank, name, score);
    return tr;
  }

  /**
   * Renders a snapshot of the shown board unless an equal or newer one is already shown: versions only grow, but a
   * poll answered by a shared cache (nginx keeps a board's GET about a second) may be older than a push already shown.
   */
  function render(snapshot) {
    if (!snapshot || snapshot.board !== board || !Array.isArray(snapshot.data) || snapshot.version <= current.version) return;
    const first = current.version < 0;
    const before = new Map(current.data.map((e) => [e.id, e]));
    current = snapshot;
    const rows = snapshot.data.map((entry) => row(entry, before, first));
    if (!rows.length) {
      const empty = document.createElement('tr');
      empty.className = 'empty';
      empty.innerHTML = '<td colspan="3">No players yet</td>';
      rows.push(empty);
    }
    tbody.replaceChildren(...rows);
    const time = new Date(snapshot.updatedAt);
    snapshotEl.textContent = 'Version ' + snapshot.version + ' · updated ' + time.toLocaleTimeString();
    snapshotEl.title = snapshot.updatedAt;
    document.dispatchEvent(new CustomEvent('scoreboard:snapshot', { detail: snapshot }));
  }

  function poll() {
    return json('/api/boards/' + board + '/leaderboard').then(render, () => setStatus('offline', 'Offline'));
  }

  function subscribe() {
    socket.emit('subscribe', { room: roomOf(board) }, (ack) => {
      if (!ack || !ack.ok) return startPolling('polling', 'Polling');
      stopPolling();
      setStatus('live', 'Live');
      render(ack.snapshot);
    });
  }

  /** Shows another board: leaves the old room, starts the new board from scratch (its own versions). */
  function show(key) {
    if (key === board) return;
    if (socket && socket.connected) socket.emit('unsubscribe', { room: roomOf(board) });
    board = key;
    current = { version: -1, data: [] };
    tbody.replaceChildren();
    if (socket && socket.connected) subscribe();
    else poll();
  }

  function startPolling(state, text) {
    setStatus(state, text);
    if (!pollTimer) pollTimer = setInterval(poll, POLL_MS);
    return poll();
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = undefined;
  }

  function connect() {
    // WebSocket only: no long-polling, so replicas behind a load balancer need no sticky sessions
    socket = io({
      transports: ['websocket'],
      auth: (cb) =>
        devToken().then(
          (token) => cb({ token }),
          () => cb({}),
        ),
    });
    socket.on('connect', subscribe);
    socket.on('leaderboard:update', render);
    // While the socket is down the board keeps refreshing over REST
    socket.on('disconnect', (reason) => {
      startPolling('reconnecting', 'Reconnecting…');
      if (reason === 'io server disconnect') socket.connect(); // e.g. token expired: reconnect with a fresh one
    });
    socket.on('connect_error', () => startPolling('reconnecting', 'Reconnecting…'));
  }

  const config = json('/api/config').catch(() => ({ devTokens: false, scoreMaxIncrement: 1000 }));
  window.Scoreboard = { config, devToken, json, render, show, board: () => board };

  config.then((cfg) => {
    poll();
    // Viewing live needs a token for the socket handshake; without dev tokens the page polls instead
    if (cfg.devTokens && window.io) connect();
    else startPolling('polling', 'Polling every ' + POLL_MS / 1000 + ' s');
  });
})();
