import { onBoard } from '../ranking/rank-order';

/**
 * A period's entries of users on the board, as a subquery with the board_scores columns (user_id, score, reached_at):
 * banned and erased users keep their rows (an unban restores them) but are in no standing, rank or snapshot.
 */
export const boardEntries = (board = '$1', period = '$2'): string =>
  `(SELECT s.user_id, s.score, s.reached_at FROM board_scores s JOIN users u ON u.id = s.user_id AND ${onBoard('u.')} WHERE s.board = ${board} AND s.period = ${period})`;
