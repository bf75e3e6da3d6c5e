import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Boards and seasons (contract §8). Runs after the ledger migration of 1764800000000 (points bigint and
 * non-zero, `reason`); the first statements repeat its ledger changes idempotently so this one stands alone.
 */
export class CreateBoards1765000000000 implements MigrationInterface {
  name = 'CreateBoards1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE score_events ADD COLUMN IF NOT EXISTS reason varchar(200)`);
    await queryRunner.query(`ALTER TABLE score_events ALTER COLUMN points TYPE bigint`);
    // Whatever the points CHECK is called: a best/latest submission that changes nothing records 0 points
    await queryRunner.query(`
      DO $$ DECLARE c text; BEGIN
        FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'score_events'::regclass AND contype = 'c'
                   AND pg_get_constraintdef(oid) LIKE '%points%' LOOP
          EXECUTE format('ALTER TABLE score_events DROP CONSTRAINT %I', c);
        END LOOP;
      END $$`);
    await queryRunner.query(`
      ALTER TABLE score_events
        ADD COLUMN board varchar(32) NOT NULL DEFAULT 'global',
        ADD COLUMN period integer,
        ADD COLUMN value bigint,
        ADD CONSTRAINT score_events_points_check CHECK (points <> 0 OR value IS NOT NULL),
        DROP CONSTRAINT score_events_user_action_key,
        -- an actionId is unique per user per board
        ADD CONSTRAINT score_events_user_board_action_key UNIQUE (user_id, board, action_id)`);
    // Deleting a board deletes its ledger rows; global's rows (the hot path) stay out of this index
    await queryRunner.query(`CREATE INDEX score_events_board_idx ON score_events (board) WHERE board <> 'global'`);
    await queryRunner.query(`
      CREATE TABLE boards (
        key varchar(32) PRIMARY KEY CHECK (key ~ '^[a-z0-9-]{1,32}$'),
        name varchar(64) NOT NULL,
        sort_order varchar(4) NOT NULL CHECK (sort_order IN ('desc', 'asc')),
        operator varchar(6) NOT NULL CHECK (operator IN ('incr', 'best', 'latest')),
        reset varchar(100) NOT NULL DEFAULT 'never',
        timezone varchar(64) NOT NULL DEFAULT 'UTC',
        max_increment integer CHECK (max_increment > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE board_periods (
        board varchar(32) NOT NULL REFERENCES boards (key) ON DELETE CASCADE,
        period integer NOT NULL CHECK (period > 0),
        starts_at timestamptz NOT NULL,
        -- the scheduled end (NULL: never); a reset sets it to the time it closed the period
        ends_at timestamptz,
        closed_at timestamptz,
        PRIMARY KEY (board, period)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX board_periods_open_key ON board_periods (board) WHERE closed_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE board_scores (
        board varchar(32) NOT NULL,
        period integer NOT NULL,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        score bigint NOT NULL CHECK (score BETWEEN 0 AND 9007199254740991),
        reached_at timestamptz NOT NULL,
        -- the value before the last write: lets one statement record the exact change (PostgreSQL 15 has no RETURNING OLD)
        previous_score bigint,
        PRIMARY KEY (board, period, user_id),
        FOREIGN KEY (board, period) REFERENCES board_periods (board, period) ON DELETE CASCADE
      )`);
    // Rank order per board direction: score, then who reached it first, then lower id
    await queryRunner.query(`CREATE INDEX board_scores_desc_idx ON board_scores (board, period, score DESC, reached_at, user_id)`);
    await queryRunner.query(`CREATE INDEX board_scores_asc_idx ON board_scores (board, period, score, reached_at, user_id)`);
    await queryRunner.query(`CREATE INDEX board_scores_user_idx ON board_scores (user_id)`);
    await queryRunner.query(`INSERT INTO boards (key, name, sort_order, operator) VALUES ('global', 'Global', 'desc', 'incr')`);
    await queryRunner.query(`INSERT INTO board_periods (board, period, starts_at) VALUES ('global', 1, now())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE board_scores`);
    await queryRunner.query(`DROP TABLE board_periods`);
    await queryRunner.query(`DROP TABLE boards`);
    await queryRunner.query(`DELETE FROM score_events WHERE board <> 'global'`);
    await queryRunner.query(`
      ALTER TABLE score_events
        DROP CONSTRAINT score_events_user_board_action_key,
        ADD CONSTRAINT score_events_user_action_key UNIQUE (user_id, action_id),
        DROP CONSTRAINT score_events_points_check,
        ADD CONSTRAINT score_events_points_check CHECK (points <> 0),
        DROP COLUMN value, DROP COLUMN period, DROP COLUMN board`);
  }
}
