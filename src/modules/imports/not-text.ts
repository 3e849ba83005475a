// Files that are not text at all, told by their first bytes: an Excel workbook or a ZIP or gzip
// archive given where a CSV export was meant. Each is refused (VOW_IMPORT_FILE) with what it is and
// what to do, rather than with the encoding error its bytes would otherwise raise.

/** What such a file is, and what to import instead. */
export interface NotText {
  readonly kind: 'xlsx' | 'xls' | 'zip' | 'gzip';
  readonly what: string;
}

const XLS = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** `head`: the file's first bytes (its first chunk). */
export function notText(head: Buffer): NotText | undefined {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) {
    // A ZIP's first local header: the name of its first entry is at byte 30, its length at 26.
    const nameLength = head.length >= 30 ? head.readUInt16LE(26) : 0;
    const first = head.subarray(30, 30 + nameLength).toString('latin1');
    if (first === '[Content_Types].xml' || first.startsWith('xl/') || first.startsWith('docProps/'))
      return {
        kind: 'xlsx',
        what: 'an Excel workbook (.xlsx), not a CSV file: in Excel, save it as "CSV UTF-8 (comma delimited)" and import that',
      };
    return { kind: 'zip', what: 'a ZIP archive: unzip it and import the CSV file inside' };
  }
  if (head.length >= XLS.length && head.subarray(0, XLS.length).equals(XLS))
    return {
      kind: 'xls',
      what: 'an Excel 97-2003 workbook (.xls), not a CSV file: in Excel, save it as "CSV UTF-8 (comma delimited)" and import that',
    };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)
    return { kind: 'gzip', what: 'gzip-compressed: decompress it (gunzip) and import the file inside' };
  return undefined;
}
