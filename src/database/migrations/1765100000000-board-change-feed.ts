import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Board scores join the change feed: the same outbox, positions and NOTIFY as `users`, with the board and period
 * of each changed entry, so board ranks follow every committed change exactly like the global ones.
 */
export class BoardChangeFeed1765100000000 implements MigrationInterface {
  name = 'BoardChangeFeed1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE user_changes ADD COLUMN board varchar(32), ADD COLUMN period integer`);
    await queryRunner.query(`
      CREATE FUNCTION board_scores_capture() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          INSERT INTO user_changes (op) VALUES ('T');
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO user_changes (op, user_id, board, period) SELECT 'D', user_id, board, period FROM old_rows;
        ELSE
          INSERT INTO user_changes (op, user_id, board, period) SELECT 'U', user_id, board, period FROM new_rows;
        END IF;
        PERFORM pg_notify('user_changes', '');
        RETURN NULL;
      END $$`);
    for (const [op, referencing] of [
      ['insert', 'NEW TABLE AS new_rows'],
      ['update', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['delete', 'OLD TABLE AS old_rows'],
    ]) {
      await queryRunner.query(
        `CREATE TRIGGER board_scores_capture_${op} AFTER ${op.toUpperCase()} ON board_scores REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION board_scores_capture()`,
      );
    }
    await queryRunner.query(
      `CREATE TRIGGER board_scores_capture_truncate AFTER TRUNCATE ON board_scores FOR EACH STATEMENT EXECUTE FUNCTION board_scores_capture()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete', 'truncate'])
      await queryRunner.query(`DROP TRIGGER board_scores_capture_${op} ON board_scores`);
    await queryRunner.query(`DROP FUNCTION board_scores_capture()`);
    await queryRunner.query(`ALTER TABLE user_changes DROP COLUMN board, DROP COLUMN period`);
  }
}
