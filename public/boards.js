// Board switcher, the current period and when it ends, and the previous period's final top 10.
'use strict';
(function () {
  const sb = window.Scoreboard;
  const select = document.getElementById('board-select');
  const periodEl = document.getElementById('period');
  const previous = document.getElementById('previous');
  const previousCaption = document.getElementById('previous-caption');
  const previousBody = previous.querySelector('tbody');
  let shown = { board: undefined, period: undefined };

  function cells(entry) {
    const tr = document.createElement('tr');
    for (const [text, className] of [
      [String(entry.rank), 'rank'],
      [entry.name, 'name'],
      [entry.score.toLocaleString(), 'num'],
    ]) {
      const td = document.createElement('td');
      td.className = className;
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }

  function describePeriod(board) {
    const ends = board.periodEndsAt ? 'ends ' + new Date(board.periodEndsAt).toLocaleString() : 'never resets';
    periodEl.textContent = 'Period ' + board.period + ' · ' + ends;
    periodEl.title = board.periodEndsAt || '';
  }

  async function showPrevious(key) {
    const { data } = await sb.json('/api/boards/' + key + '/periods?limit=1');
    if (key !== sb.board()) return;
    if (!data.length) {
      previous.hidden = true;
      return;
    }
    const standings = await sb.json('/api/boards/' + key + '/periods/' + data[0].period + '/entries?limit=10');
    if (key !== sb.board()) return;
    previousCaption.textContent = 'Final top 10 of period ' + data[0].period;
    previousBody.replaceChildren(...standings.data.map(cells));
    if (!standings.data.length) previousBody.innerHTML = '<tr class="empty"><td colspan="3">Nobody played</td></tr>';
    previous.hidden = false;
  }

  /** Reads the board's period (and the one before it) whenever the shown board or its period changes. */
  async function follow(key, period) {
    if (shown.board === key && shown.period === period) return;
    shown = { board: key, period };
    try {
      const board = await sb.json('/api/boards/' + key);
      if (key !== sb.board()) return;
      describePeriod(board);
      await showPrevious(key);
    } catch {
      periodEl.textContent = '';
    }
  }

  async function loadBoards() {
    const { data } = await sb.json('/api/boards');
    select.replaceChildren(...data.map((board) => new Option(board.name, board.key)));
    select.value = sb.board();
  }

  select.addEventListener('change', () => {
    history.replaceState(null, '', select.value === 'global' ? location.pathname : '#board=' + select.value);
    previous.hidden = true;
    sb.show(select.value);
    void follow(select.value, undefined);
  });
  document.addEventListener('scoreboard:snapshot', (event) => void follow(event.detail.board, event.detail.period));
  loadBoards().catch(() => undefined);
  void follow(sb.board(), undefined);
})();
