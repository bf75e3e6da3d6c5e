// Dev mode: the selected player's own rank, live (the `me` room): pushed when it or their score changes.
'use strict';
(function () {
  const sb = window.Scoreboard;
  const select = document.getElementById('player');
  const out = document.getElementById('me');
  let socket;

  function show(me) {
    out.textContent = me.rank === null ? 'Not on the board' : 'Your rank: ' + me.rank + ' · ' + me.score.toLocaleString() + ' points';
    out.dataset.rank = me.rank === null ? '' : String(me.rank);
  }

  async function watch(id) {
    if (socket) socket.close();
    socket = undefined;
    out.textContent = '';
    if (!id || !window.io) return;
    const token = await sb.devToken({ sub: String(id) });
    const mine = io({ transports: ['websocket'], auth: { token } });
    socket = mine;
    mine.on('connect', () => mine.emit('subscribe', { room: 'me' }, (ack) => (ack && ack.ok ? show(ack.me) : (out.textContent = ''))));
    mine.on('me:update', show);
  }

  sb.config.then((cfg) => {
    if (!cfg.devTokens) return;
    // play.js fills and changes the selection (also when it creates a player)
    new MutationObserver(() => watch(Number(select.value))).observe(select, { childList: true });
    select.addEventListener('change', () => watch(Number(select.value)));
  });
})();
