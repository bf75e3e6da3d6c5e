// Dev-mode play panel: pick or create a player, complete an action on the board shown, see the new total and rank.
'use strict';
(function () {
  const sb = window.Scoreboard;
  const panel = document.getElementById('play');
  const select = document.getElementById('player');
  const nameInput = document.getElementById('new-name');
  const pointsInput = document.getElementById('points');
  const pointsLabel = document.querySelector('label[for="points"]');
  const boardSelect = document.getElementById('board-select');
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
      const user = await post('/api/users', await sb.devToken({ scope: 'users:write' }), { name });
      addOption(user, true);
      nameInput.value = '';
      show('Created ' + user.name + ' (#' + user.id + ')');
    } catch (error) {
      show(describe(error), true);
    }
  }

  function post(path, token, body) {
    return sb.json(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify(body),
    });
  }

  /** `global` keeps its own route; any other board takes { userId, score, actionId } on its scores route. */
  function submit(key, id, token, body) {
    if (key === 'global') return post('/api/users/' + id + '/score', token, body);
    return post('/api/boards/' + key + '/scores', token, Object.assign({ userId: id }, body));
  }

  function boardName(key) {
    const option = Array.from(boardSelect.options).find((o) => o.value === key);
    return option ? option.textContent : key;
  }

  /** The input follows the shown board's rules: 1…maxIncrement points on incr boards, a value 0…2^53−1 on best/latest. */
  async function followBoard(key) {
    try {
      const board = await sb.json('/api/boards/' + key);
      if (key !== sb.board()) return;
      const incr = board.operator === 'incr';
      pointsInput.min = incr ? '1' : '0';
      pointsInput.max = String(incr ? board.maxIncrement : Number.MAX_SAFE_INTEGER);
      pointsLabel.textContent = incr
        ? 'Points for the completed action'
        : 'Score for the completed action (the ' + board.operator + ' one counts)';
    } catch {
      /* unknown or unreachable: the server still checks every submission */
    }
  }

  async function completeAction(event) {
    event.preventDefault();
    const id = Number(select.value);
    const button = document.getElementById('complete');
    if (!id) return show('Pick or create a player first', true);
    // The board shown when the action completes, whatever the input's limits were last read for
    const key = sb.board();
    button.disabled = true;
    try {
      // The player's own token, as a game client would hold it; a fresh actionId per completed action
      const token = await sb.devToken({ sub: String(id) });
      const result = await submit(key, id, token, { score: Number(pointsInput.value), actionId: actionId() });
      const where = key === 'global' ? '' : ' on ' + boardName(key);
      show(result.name + ' now has ' + result.score.toLocaleString() + ' points' + where + ', rank ' + result.rank);
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
    boardSelect.addEventListener('change', () => void followBoard(boardSelect.value));
    void followBoard(sb.board());
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
