import { BoardBatchRow, BoardSubmission, changesByBoard, resolveBoardOutcomes } from './board-outcome';

const row = (idx: number, board: string, status: BoardBatchRow['status'], extra: Partial<BoardBatchRow> = {}): BoardBatchRow => ({
  idx: String(idx),
  board,
  period: 3,
  name: 'Ann',
  ban_reason: null,
  score: null,
  status,
  as_of: '1001',
  ...extra,
});

describe('resolveBoardOutcomes', () => {
  it('gives each submission the outcome of its row, in batch order whatever the row order', () => {
    const rows = [
      row(3, 'laps', 'banned', { ban_reason: 'cheating' }),
      row(1, 'coins', 'applied', { score: '9007199254740991' }),
      row(2, 'coins', 'duplicate'),
      row(5, 'laps', 'period-ended', { period: null }),
      row(4, 'coins', 'over-maximum'),
      row(6, 'coins', 'unknown-user', { name: null }),
      row(7, 'laps', 'raced'),
    ];
    expect(resolveBoardOutcomes(7, rows)).toEqual([
      { status: 'applied', period: 3, name: 'Ann', score: 9007199254740991, asOf: 1001n },
      { status: 'duplicate' },
      { status: 'banned', reason: 'cheating' },
      { status: 'over-maximum' },
      { status: 'period-ended' },
      { status: 'unknown-user' },
      { status: 'raced' },
    ]);
  });

  it('names each board the batch changed once, and only boards where something applied', () => {
    const rows = [
      row(1, 'coins', 'applied', { score: '5' }),
      row(2, 'laps', 'duplicate'),
      row(3, 'coins', 'applied', { score: '9' }),
      row(4, 'level', 'applied', { score: '1' }),
    ];
    const batch: BoardSubmission[] = [
      { board: 'coins', order: 'desc', userId: 7, value: 5 },
      { board: 'laps', order: 'asc', userId: 7, value: 3 },
      { board: 'coins', order: 'desc', userId: 7, value: 4 },
      { board: 'level', order: 'desc', userId: 8, value: 1 },
    ];
    const changes = changesByBoard(batch, resolveBoardOutcomes(4, rows));
    expect([...changes.keys()]).toEqual(['coins', 'level']);
    // an entry submitted to twice carries its value after the batch
    expect(changes.get('coins')).toEqual({ period: 3, order: 'desc', entries: [{ userId: 7, score: 9 }] });
  });

  it('refuses a statement that answered no outcome for a submission (a fault, not an outcome)', () => {
    expect(() => resolveBoardOutcomes(2, [row(1, 'coins', 'duplicate')])).toThrow(/no outcome for submission 1/);
  });
});
