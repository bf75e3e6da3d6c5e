import { MigrationInterface, QueryRunner } from 'typeorm';

const ON = 'banned_at IS NULL AND erased_at IS NULL';

/**
 * Moderation (contract §9): a ban and an erasure are marks on the user (NULL by default, so outside INSERTs of §7
 * still work); the rank index over users covers only users on the board, so excluding them keeps ranks O(log n).
 */
export class Moderation1796100000000 implements MigrationInterface {
  name = 'Moderation1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN banned_at timestamptz NULL DEFAULT NULL,
        ADD COLUMN ban_reason varchar(200) NULL DEFAULT NULL,
        ADD COLUMN erased_at timestamptz NULL DEFAULT NULL`);
    await queryRunner.query(
      `CREATE INDEX users_board_rank_idx ON users (score DESC, updated_at ASC, id ASC) WHERE banned_at IS NULL AND erased_at IS NULL`,
    );
    await queryRunner.query(`DROP INDEX users_rank_idx`);
    // History: a user's ledger rows newest first, per board, keyset-paged by id
    await queryRunner.query(`CREATE INDEX score_events_history_idx ON score_events (user_id, id DESC)`);
    // A ban, unban or erasure (from anywhere) changes users only: the feed also names the user's open board entries,
    // so board ranks drop or restore them like global ones. Set operations: linear for a bulk statement too.
    await queryRunner.query(`
      CREATE FUNCTION users_capture_board_status() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO user_changes (op, user_id, board, period)
          SELECT 'U', s.user_id, s.board, s.period FROM board_scores s
            JOIN board_periods p ON (p.board, p.period) = (s.board, s.period) AND p.closed_at IS NULL
           WHERE s.user_id IN (
             (SELECT id FROM new_rows WHERE ${ON} EXCEPT SELECT id FROM old_rows WHERE ${ON})
             UNION
             (SELECT id FROM old_rows WHERE ${ON} EXCEPT SELECT id FROM new_rows WHERE ${ON}));
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER users_capture_board_status AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_capture_board_status()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER users_capture_board_status ON users`);
    await queryRunner.query(`DROP FUNCTION users_capture_board_status()`);
    await queryRunner.query(`DROP INDEX score_events_history_idx`);
    await queryRunner.query(`CREATE INDEX users_rank_idx ON users (score DESC, updated_at ASC, id ASC)`);
    await queryRunner.query(`DROP INDEX users_board_rank_idx`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN erased_at, DROP COLUMN ban_reason, DROP COLUMN banned_at`);
  }
}
