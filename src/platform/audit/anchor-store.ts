// Audit anchors kept where an edit of the database cannot reach them: an append-only file of JSON
// lines (VOW_AUDIT_ANCHOR_FILE), one per anchor: the chain it belongs to, the sequence number and hash
// of the chain's head, when, and who wrote it. A rewritten, re-hashed or truncated chain disagrees
// with a line written before the edit. Put the file on another volume than the database (or ship it
// to write-once storage); several installations may share one file, each reads its own chain's lines.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface AnchorRecord {
  /** The chain's id (vow_meta `audit.chain`), so one file can serve several stores. */
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  /** `job` (the hourly anchor), `monitor` (the head a promise check verified), `cli`. */
  readonly by: string;
}

export interface AnchorStore {
  /** Where the anchors are (for messages). */
  readonly location: string;
  append(record: AnchorRecord): Promise<void>;
  /** This chain's anchors in the order written, and how many lines could not be read. */
  read(chain: string): Promise<{ anchors: AnchorRecord[]; unreadable: number }>;
}

/** The file store: one line per anchor, appended (O_APPEND: a line is written whole or not at all). */
export class FileAnchorStore implements AnchorStore {
  readonly location: string;

  constructor(file: string) {
    this.location = path.resolve(file);
  }

  async append(record: AnchorRecord): Promise<void> {
    mkdirSync(path.dirname(this.location), { recursive: true });
    appendFileSync(this.location, `${JSON.stringify(record)}\n`, { encoding: 'utf8', mode: 0o600 });
  }

  async read(chain: string): Promise<{ anchors: AnchorRecord[]; unreadable: number }> {
    if (!existsSync(this.location)) return { anchors: [], unreadable: 0 };
    const anchors: AnchorRecord[] = [];
    let unreadable = 0;
    for (const line of readFileSync(this.location, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const r = JSON.parse(line) as Partial<AnchorRecord>;
        if (
          typeof r.chain !== 'string' ||
          typeof r.seq !== 'number' ||
          typeof r.hash !== 'string' ||
          typeof r.at !== 'string'
        ) {
          unreadable++;
          continue;
        }
        if (r.chain === chain)
          anchors.push({ chain: r.chain, seq: r.seq, hash: r.hash, at: r.at, by: String(r.by ?? '') });
      } catch {
        unreadable++;
      }
    }
    return { anchors, unreadable };
  }
}

/** An anchor store in memory (tests, and a store in memory that has no file to keep). */
export class MemoryAnchorStore implements AnchorStore {
  readonly location = '(memory)';
  readonly records: AnchorRecord[] = [];

  async append(record: AnchorRecord): Promise<void> {
    this.records.push(record);
  }

  async read(chain: string): Promise<{ anchors: AnchorRecord[]; unreadable: number }> {
    return { anchors: this.records.filter((r) => r.chain === chain), unreadable: 0 };
  }
}
