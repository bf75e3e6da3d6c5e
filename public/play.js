// Dev-mode play panel: pick or create a player, complete an action, see the new total and rank.
'use strict';
(function () {
  const sb = window.Scoreboard;
  const panel = document.getElementById('play');
  const select = document.getElementById('player');
  const nameInput = document.getElementById('new-name');
  const pointsInput = document.getElementById('points');
  const output = document.getElementById('result');
  const players = new Map();

  function show(message, isError) {
    output.textContent = message;
    output.classList.toggle('error', Boolean(isError));
  }

  function addOption(user, selected) {
    if (!players.has(user.id)) {
      const option = new Option(user.name + ' (#' + user.id + ')', String(user.id));
      select.append(option);
    }
    players.set(user.id, user);
    if (selected) select.value = String(user.id);
  }

  function actionId() {
    const random = window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now() + '-' + Math.random().toString(36).slice(2);
    return 'web-' + random;
  }

  function describe(error) {
    if (error.status === 429) return 'Too many submissions: try again in ' + (error.response.headers.get('retry-after') || 'a few') + ' s';
    return 'Failed: ' + error.message;
  }

  async function createPlayer() {
    const name = nameInput.value.trim();
    if (!name) return nameInput.focus();
    try {
      const token = await sb.devToken({ scope: 'users:write' });
      const user = await sb.json('/api/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
        body: JSON.stringify({ name }),
      });
      addOption(user, true);
      nameInput.value = '';
      show('Created ' + user.name + ' (#' + user.id + ')');
    } catch (error) {
      show(describe(error), true);
    }
  }

  async function completeAction(event) {
    event.preventDefault();
    const id = Number(select.value);
    const button = document.getElementById('complete');
    if (!id) return show('Pick or create a player first', true);
    button.disabled = true;
    try {
      // The player's own token, as a game client would hold it; a fresh actionId per completed action
      const token = await sb.devToken({ sub: String(id) });
      const body = JSON.stringify({ score: Number(pointsInput.value), actionId: actionId() });
      const result = await sb.json('/api/users/' + id + '/score', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
        body,
      });
      show(result.name + ' now has ' + result.score.toLocaleString() + ' points, rank ' + result.rank);
    } catch (error) {
      show(describe(error), true);
    } finally {
      button.disabled = false;
    }
  }

  sb.config.then(async (cfg) => {
    if (!cfg.devTokens) return;
    pointsInput.max = String(cfg.scoreMaxIncrement);
    panel.hidden = false;
    const page = await sb.json('/api/users?limit=100&page=0').catch(() => ({ data: [] }));
    page.data.forEach((user) => addOption(user, false));
    document.getElementById('create').addEventListener('click', createPlayer);
    nameInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        createPlayer();
      }
    });
    document.getElementById('action-form').addEventListener('submit', completeAction);
  });
})();
