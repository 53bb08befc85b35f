import { deflateSync, inflateSync } from 'node:zlib';

/**
 * Alkemio stores whiteboard content as zlib-compressed bytes in a utf8mb4 LONGTEXT: each byte
 * 0..255 becomes the code point U+0000..U+00FF (a latin1 "binary string"), which the column then
 * stores as UTF-8. The text may therefore contain U+0000, which Postgres text refuses.
 */
export function encodeWhiteboardContent(json: string): string {
  return deflateSync(Buffer.from(json, 'utf8')).toString('latin1');
}

/** The inverse: the column's text, read back as a JS string, to the original JSON. */
export function decodeWhiteboardContent(text: string): string {
  return inflateSync(Buffer.from(text, 'latin1')).toString('utf8');
}
