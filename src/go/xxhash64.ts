/**
 * XXH64 with seed 0 (github.com/cespare/xxhash/v2 `Sum64`), over bytes. BigInt arithmetic: it is
 * computed once per stream, never per entry.
 */
const M = (1n << 64n) - 1n
const P1 = 11400714785074694791n
const P2 = 14029467366897019727n
const P3 = 1609587929392839161n
const P4 = 9650029242287828579n
const P5 = 2870177450012600261n

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M
}

function round(acc: bigint, input: bigint): bigint {
  return (rotl((acc + input * P2) & M, 31n) * P1) & M
}

function mergeRound(acc: bigint, val: bigint): bigint {
  return (((acc ^ round(0n, val)) * P1) & M) + P4 & M
}

function u64(b: Uint8Array, i: number): bigint {
  let v = 0n
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k] as number)
  return v
}

function u32(b: Uint8Array, i: number): bigint {
  return BigInt(((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16)) + (b[i + 3] as number) * 0x1000000)
}

export function xxhash64(b: Uint8Array): bigint {
  const n = b.length
  let i = 0
  let h: bigint
  if (n >= 32) {
    let v1 = (P1 + P2) & M
    let v2 = P2
    let v3 = 0n
    let v4 = (M + 1n - P1) & M
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, u64(b, i))
      v2 = round(v2, u64(b, i + 8))
      v3 = round(v3, u64(b, i + 16))
      v4 = round(v4, u64(b, i + 24))
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M
    h = mergeRound(h, v1)
    h = mergeRound(h, v2)
    h = mergeRound(h, v3)
    h = mergeRound(h, v4)
  } else {
    h = P5
  }
  h = (h + BigInt(n)) & M
  for (; i + 8 <= n; i += 8) {
    h ^= round(0n, u64(b, i))
    h = ((rotl(h, 27n) * P1) & M) + P4 & M
  }
  if (i + 4 <= n) {
    h ^= (u32(b, i) * P1) & M
    h = ((rotl(h, 23n) * P2) & M) + P3 & M
    i += 4
  }
  for (; i < n; i++) {
    h ^= (BigInt(b[i] as number) * P5) & M
    h = (rotl(h, 11n) * P1) & M
  }
  h ^= h >> 33n
  h = (h * P2) & M
  h ^= h >> 29n
  h = (h * P3) & M
  h ^= h >> 32n
  return h
}
