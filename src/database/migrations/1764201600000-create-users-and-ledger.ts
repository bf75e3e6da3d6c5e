import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsersAndLedger1764201600000 implements MigrationInterface {
  name = 'CreateUsersAndLedger1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id bigserial PRIMARY KEY,
        name varchar(64) NOT NULL,
        score bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- JSON numbers are exact up to 2^53-1: a total can neither go negative nor lose precision
        CONSTRAINT users_score_range CHECK (score BETWEEN 0 AND 9007199254740991)
      )`);
    // Serves top-N and rank queries in the contract's order: score, then who reached it first, then id
    await queryRunner.query(`CREATE INDEX users_rank_idx ON users (score DESC, updated_at ASC, id ASC)`);
    await queryRunner.query(`
      CREATE TABLE score_events (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        points integer NOT NULL CHECK (points > 0),
        action_id varchar(64),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT score_events_user_action_key UNIQUE (user_id, action_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE score_events`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
