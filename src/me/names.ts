import { Injectable } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';

/** Names kept (least recently used go first): the neighbours of 10,000 watchers fit many times over. */
export const NAMES_KEPT = 200_000;

/**
 * Players' names for the me tick's neighbourhoods, kept by this instance: read from PostgreSQL once (the names
 * missing, in one query per tick), then kept current by the feed, which carries the current name of every user a
 * committed change touched (a rename, from anywhere) and removes the banned and erased. Without it every tick read
 * thousands of names again (~15 ms of PostgreSQL and as much parsing here per tick at the §9 bound).
 */
@Injectable()
export class Names {
  private readonly known = new Map<number, string>();
  /** Per query running: the ids the feed spoke of meanwhile (what it read of them may be older). */
  private readonly running = new Set<Set<number>>();
  private resets = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async of(ids: number[]): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    const missing: number[] = [];
    for (const id of ids) {
      const name = this.known.get(id);
      if (name === undefined) missing.push(id);
      else names.set(id, this.keep(id, name));
    }
    if (!missing.length) return names;
    const heardMeanwhile = new Set<number>();
    const resets = this.resets;
    this.running.add(heardMeanwhile);
    try {
      const rows: { id: string; name: string }[] = await this.dataSource.query(`SELECT id, name FROM users WHERE id = ANY($1::bigint[])`, [
        missing,
      ]);
      for (const row of rows) {
        const id = Number(row.id);
        const maybeStale = heardMeanwhile.has(id) || resets !== this.resets; // used once, not kept
        names.set(id, maybeStale ? row.name : this.keep(id, row.name));
      }
      return names;
    } finally {
      this.running.delete(heardMeanwhile);
    }
  }

  /** A feed page: the names it carries are current; a user it removes (banned, erased) is forgotten. */
  heard(page: ScoreChangedEvent): void {
    if (page.reset) {
      this.known.clear();
      this.resets++;
    }
    for (const { userId, name } of page.users) if (this.known.has(userId)) this.keep(userId, name);
    for (const id of page.removed) this.known.delete(id);
    for (const heardMeanwhile of this.running) {
      for (const { userId } of page.users) heardMeanwhile.add(userId);
      for (const id of page.removed) heardMeanwhile.add(id);
    }
  }

  private keep(id: number, name: string): string {
    this.known.delete(id);
    this.known.set(id, name);
    if (this.known.size > NAMES_KEPT) this.known.delete(this.known.keys().next().value!);
    return name;
  }
}

@EventsHandler(ScoreChangedEvent)
export class HearNamesHandler implements IEventHandler<ScoreChangedEvent> {
  constructor(private readonly names: Names) {}

  handle(page: ScoreChangedEvent): void {
    this.names.heard(page);
  }
}
