import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '../database/bigint.transformer';

@Entity({ name: 'users' })
export class User {
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  @Generated('increment')
  id: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'bigint', default: 0, transformer: bigintToNumber })
  score: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** Set when the score changes: equal scores rank by who reached them first (this), then by id. */
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
