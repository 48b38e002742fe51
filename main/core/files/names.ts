// File and folder names made from names a person typed (a project, a class, a dropped file):
// safe as one path component on Windows, macOS and Linux, and short enough in bytes. File systems
// limit a component to 255 bytes, not characters: 100 emoji are 400 bytes of UTF-8.

/** Bytes a name derived from a person's name may take, leaving room for a stamp, a counter and ".partial" suffixes. */
export const NAME_BYTES = 120;

/** Names Windows reserves for devices, with or without an extension ("CON", "com1.txt"). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` cut to at most `maxBytes` bytes of UTF-8, never inside a character or a grapheme (an emoji with its modifiers). */
export function cutToBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const size = Buffer.byteLength(segment);
    if (used + size > maxBytes) break;
    kept += segment;
    used += size;
  }
  return kept;
}

/** A name that is safe as one file or folder name on Windows, macOS and Linux, within `maxBytes` bytes. */
export function safeName(name: string, maxBytes = NAME_BYTES): string {
  // NFC: macOS stores names decomposed, so the same name compares equal wherever it was typed.
  const cleaned = name
    .normalize('NFC')
    .replace(/[\\/:*?"<>|\x00-\x1f\x7f]/g, '_')
    .trim();
  // Trailing dots and spaces vanish on Windows; cut first, so a cut never leaves one at the end.
  const cut = cutToBytes(cleaned, maxBytes).replace(/[. ]+$/, '');
  if (cut === '' || cut === '.' || cut === '..') return '_';
  return WINDOWS_RESERVED.test(cut) ? `_${cut}` : cut;
}
