/**
 * The chunk codec's public surface: encoding a stream's entries into a chunk, reading chunk
 * indexes and blocks, range-reading chunks, and building and reading compacted multi-stream
 * objects. The byte format is specified in `format.md` beside this file.
 */

export { ChunkError, type ChunkErrorCode } from './errors'
export type {
  BlockRef,
  ChunkEntry,
  ChunkIndex,
  ChunkMeta,
  CodecName,
  Direction,
  EncodeOptions,
  RangeFetcher,
  SuffixFetcher,
} from './types'
export { decodeBlock, type TimeRange } from './block'
export { LinePrefilter } from './line-search'
export {
  CHUNK_FOOTER_SIZE,
  CHUNK_HEADER_SIZE,
  CHUNK_VERSION,
  DEFAULT_BLOCK_SIZE,
  DEFAULT_CODEC,
  MAX_BLOCK_RAW_SIZE,
  MAX_INDEX_SIZE,
  chunkTailSize,
  checkChunkHeader,
  decodeChunk,
  decompressBlock,
  parseChunkFooter,
  readChunkIndex,
  type ChunkFooter,
} from './chunk'
export { ChunkWriter, encodeChunk } from './chunk-writer'
export { mergeChunks } from './merge'
export { ChunkReader, sliceFetcher, type ChunkReaderOptions, type ChunkSource, type ReadRange } from './reader'
export {
  MAX_DIRECTORY_SIZE,
  OBJECT_VERSION,
  ObjectReader,
  ObjectWriter,
  encodeObject,
  parseObjectFooter,
  readObjectDirectory,
  type ChunkSummary,
  type ObjectEntry,
  type ObjectSource,
} from './object'
