/**
 * The two file versions the crash writer alternates between: about 1 MiB,
 * different lengths and contents, so a torn or truncated file matches neither.
 */
export function crashVersion(k: 0 | 1): Uint8Array {
  return new Uint8Array(2 ** 20 + k * 4099).fill(k === 0 ? 0xa5 : 0x5a);
}
