import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * User ids go to clients as JSON numbers, exact up to 2^53−1 (like scores): the bound makes "an id above it names
 * no user" a fact, so the API answers such ids 404 without a query instead of rounding them into another id.
 */
export class LimitUserIds1796083200000 implements MigrationInterface {
  name = 'LimitUserIds1796083200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD CONSTRAINT users_id_range CHECK (id BETWEEN 1 AND 9007199254740991)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_id_range`);
  }
}
