/** The download folder: verified models (with their records), resumable partial downloads, deletion. Free of `vscode`. */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { catalogueByFileName, type CatalogueChoice } from '../../core/models/catalogue';
import { PARTIAL_DIR, RECORD_SUFFIX, parsePartialRecord, type DownloadRecord, type PartialRecord } from '../../core/models/records';
import { modelLabel, readRecords } from './resolve';

export interface DownloadedModel {
  readonly path: string;
  readonly fileName: string;
  readonly label: string;
  readonly sizeBytes: number;
  readonly record?: DownloadRecord;
  readonly catalogue?: CatalogueChoice;
}

export class ModelStore {
  constructor(readonly folder: string) {}

  /** Complete model files in the folder (partial downloads live in .partial/ and are never listed here). */
  async downloaded(): Promise<DownloadedModel[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return [];
    }
    const records = readRecords(this.folder);
    const out: DownloadedModel[] = [];
    for (const fileName of names.filter((n) => /\.gguf$/i.test(n)).sort()) {
      const p = path.join(this.folder, fileName);
      const s = await stat(p).catch(() => undefined);
      if (!s?.isFile()) continue;
      out.push({ path: p, fileName, label: modelLabel(fileName), sizeBytes: s.size, record: records.get(fileName), catalogue: catalogueByFileName(fileName) });
    }
    return out;
  }

  /** Unfinished downloads that can be resumed (after a cancel, a failure or a window reload). */
  async partials(): Promise<PartialRecord[]> {
    const dir = path.join(this.folder, PARTIAL_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const out: PartialRecord[] = [];
    for (const n of names.filter((x) => x.endsWith(RECORD_SUFFIX))) {
      try {
        const r = parsePartialRecord(JSON.parse(await readFile(path.join(dir, n), 'utf8')));
        if (r.ok) out.push(r.value);
      } catch {
        /* a torn record: ignore it, the next download of that file rewrites it */
      }
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async delete(fileName: string): Promise<void> {
    this.check(fileName);
    await rm(path.join(this.folder, fileName), { force: true });
    await rm(path.join(this.folder, fileName + RECORD_SUFFIX), { force: true });
  }

  async discardPartial(fileName: string): Promise<void> {
    this.check(fileName);
    const dir = path.join(this.folder, PARTIAL_DIR);
    await Promise.all([fileName, `${fileName}.ipull`, fileName + RECORD_SUFFIX].map((n) => rm(path.join(dir, n), { force: true })));
  }

  private check(fileName: string): void {
    if (path.basename(fileName) !== fileName || !/\.gguf$/i.test(fileName)) throw new Error(`not a model file name: ${fileName}`);
  }
}
