import { MigrationInterface, QueryRunner } from 'typeorm';

/** Written by the service's own statements (SET LOCAL through set_config): the trigger records no adjustment for them. */
export const SERVICE_WRITER_SQL = `set_config('scoreboard.writer', 'service', true)`;

const OUTSIDE = `current_setting('scoreboard.writer', true) IS DISTINCT FROM 'service'`;

/**
 * The change feed: statement-level triggers on `users` append one row per changed user to the outbox
 * `user_changes` (one set-based INSERT per statement, whoever the writer is) and wake consumers with NOTIFY.
 * A change made outside the service also writes its ledger adjustment, so score = Σ points always holds.
 */
export class ChangeFeed1764800000000 implements MigrationInterface {
  name = 'ChangeFeed1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE score_events DROP CONSTRAINT score_events_points_check`);
    await queryRunner.query(`ALTER TABLE score_events ALTER COLUMN points TYPE bigint`);
    await queryRunner.query(`ALTER TABLE score_events ADD CONSTRAINT score_events_points_check CHECK (points <> 0)`);
    await queryRunner.query(`ALTER TABLE score_events ADD COLUMN reason varchar(200)`);
    // xid: the writing transaction; consumers read only below the oldest one still running, so no commit is skipped
    await queryRunner.query(`
      CREATE TABLE user_changes (
        position bigserial PRIMARY KEY,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        op "char" NOT NULL,
        user_id bigint,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX user_changes_xid_idx ON user_changes (xid, position)`);
    // Rows below `below` were pruned: a consumer whose position is older must rebuild
    await queryRunner.query(
      `CREATE TABLE user_changes_horizon (one boolean PRIMARY KEY DEFAULT true CHECK (one), below xid8 NOT NULL DEFAULT '0')`,
    );
    await queryRunner.query(`INSERT INTO user_changes_horizon DEFAULT VALUES`);
    await queryRunner.query(`
      CREATE FUNCTION users_capture() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          INSERT INTO user_changes (op) VALUES ('T');
        ELSIF TG_OP = 'INSERT' THEN
          INSERT INTO user_changes (op, user_id) SELECT 'I', id FROM new_rows;
          IF ${OUTSIDE} THEN
            INSERT INTO score_events (user_id, points, reason) SELECT id, score, 'outside change' FROM new_rows WHERE score <> 0;
          END IF;
        ELSIF TG_OP = 'UPDATE' THEN
          -- set operations, not joins: PL/pgSQL keeps the plan made for the first (small) statement, and a
          -- nested loop over two transition tables would be quadratic for a bulk UPDATE
          INSERT INTO user_changes (op, user_id)
            SELECT 'U', id FROM new_rows
            UNION ALL -- an id changed: the old one is gone
            SELECT 'D', id FROM (SELECT id FROM old_rows EXCEPT SELECT id FROM new_rows) gone;
          IF ${OUTSIDE} THEN
            INSERT INTO score_events (user_id, points, reason)
              SELECT id, sum(score), 'outside change' FROM (SELECT id, score FROM new_rows UNION ALL SELECT id, -score FROM old_rows) d
               GROUP BY id HAVING count(*) = 2 AND sum(score) <> 0;
          END IF;
        ELSE
          INSERT INTO user_changes (op, user_id) SELECT 'D', id FROM old_rows;
        END IF;
        PERFORM pg_notify('user_changes', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER users_capture_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_capture()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER users_capture_update AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_capture()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER users_capture_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION users_capture()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER users_capture_truncate AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION users_capture()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete', 'truncate']) await queryRunner.query(`DROP TRIGGER users_capture_${op} ON users`);
    await queryRunner.query(`DROP FUNCTION users_capture()`);
    await queryRunner.query(`DROP TABLE user_changes_horizon`);
    await queryRunner.query(`DROP TABLE user_changes`);
    await queryRunner.query(`ALTER TABLE score_events DROP COLUMN reason`);
    await queryRunner.query(`DELETE FROM score_events WHERE points < 0`);
    await queryRunner.query(`ALTER TABLE score_events DROP CONSTRAINT score_events_points_check`);
    await queryRunner.query(`ALTER TABLE score_events ALTER COLUMN points TYPE integer`);
    await queryRunner.query(`ALTER TABLE score_events ADD CONSTRAINT score_events_points_check CHECK (points > 0)`);
  }
}
