import { MigrationInterface, QueryRunner } from 'typeorm';

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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX score_events_history_idx`);
    await queryRunner.query(`CREATE INDEX users_rank_idx ON users (score DESC, updated_at ASC, id ASC)`);
    await queryRunner.query(`DROP INDEX users_board_rank_idx`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN erased_at, DROP COLUMN ban_reason, DROP COLUMN banned_at`);
  }
}
