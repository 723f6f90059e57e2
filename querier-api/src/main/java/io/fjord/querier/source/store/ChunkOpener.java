package io.fjord.querier.source.store;

import io.fjord.schemas.chunk.BlockMeta;
import io.fjord.schemas.chunk.ChunkFormatException;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.LineFilter;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.ObjectNotFoundException;
import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStoreUnavailableException;
import io.fjord.store.index.ChunkRef;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens flushed chunks for reading by byte ranges ({@link ChunkReader#open}: the footer first, then
 * only the blocks that overlap the range, one at a time) and turns store failures into query
 * answers: a chunk the index lists but the store no longer holds (retention deleted it between the
 * index read and the chunk read) is skipped with a warning and counted in {@link #missing()}, also
 * when it vanishes part way through; an unavailable store is a 503 naming the store; a chunk that
 * is not a readable chunk is a 500 naming the object. Thread-safe; the iterators and {@link Opened}
 * chunks it returns are not.
 */
final class ChunkOpener {
  private static final Logger log = LoggerFactory.getLogger(ChunkOpener.class);

  private final ObjectStore store;
  private final AtomicLong missing = new AtomicLong();

  ChunkOpener(ObjectStore store) {
    this.store = store;
  }

  /** Chunks listed by the index but missing in the store, since start. */
  long missing() {
    return missing.get();
  }

  /** The entries of {@code ref} with {@code start <= ts < end} in the direction; empty when the chunk is gone. */
  Iterator<LogEntry> entries(ChunkRef ref, boolean forward, long start, long end) {
    return entries(ref, forward, start, end, LineFilter.ALL, null);
  }

  /**
   * As {@link #entries(ChunkRef, boolean, long, long)}, passing over the entries whose raw line
   * {@code filter} refuses, counted in {@code skipped} (may be null).
   */
  Iterator<LogEntry> entries(ChunkRef ref, boolean forward, long start, long end, LineFilter filter,
      LineFilter.Skipped skipped) {
    ScanDirection direction = forward ? ScanDirection.FORWARD : ScanDirection.BACKWARD;
    try {
      ChunkReader reader = ChunkReader.open(ref.key(), ref.bytes(), store.ranges(ref.key()));
      return new Guarded(ref, reader.entries(direction, start, end, filter, skipped));
    } catch (ObjectNotFoundException e) {
      skipMissing(ref);
      return Collections.emptyIterator();
    } catch (RuntimeException e) {
      throw translate(ref, e);
    }
  }

  /**
   * Reads {@code ref}'s footer (one ranged read in the usual case) so that a caller can look at its
   * blocks before deciding which to decode; null when the chunk is gone.
   */
  Opened open(ChunkRef ref) {
    try {
      return new Opened(ref, ChunkReader.open(ref.key(), ref.bytes(), store.ranges(ref.key())));
    } catch (ObjectNotFoundException e) {
      skipMissing(ref);
      return null;
    } catch (RuntimeException e) {
      throw translate(ref, e);
    }
  }

  /** A chunk whose footer has been read. Single-threaded. */
  final class Opened {
    private final ChunkRef ref;
    private final ChunkReader reader;

    private Opened(ChunkRef ref, ChunkReader reader) {
      this.ref = ref;
      this.reader = reader;
    }

    ChunkRef ref() {
      return ref;
    }

    /** The chunk's blocks, in time order, as its footer lists them. */
    List<BlockMeta> blocks() {
      return reader.blocks();
    }

    /**
     * The entries with {@code start <= ts < end} of the blocks {@code chosen} (some of
     * {@link #blocks()}, in their order), oldest first, each block fetched and decoded only when the
     * walk reaches it.
     */
    Iterator<LogEntry> entries(List<BlockMeta> chosen, long start, long end) {
      return new Guarded(ref, new ChosenBlocks(reader, chosen, start, end));
    }
  }

  /** The in-range entries of some blocks of a chunk, forward; one decoded block held at a time. */
  private static final class ChosenBlocks implements Iterator<LogEntry> {
    private final ChunkReader reader;
    private final Iterator<BlockMeta> blocks;
    private final long start;
    private final long end;
    private List<LogEntry> current = List.of();
    private int pos;
    private LogEntry next;

    ChosenBlocks(ChunkReader reader, List<BlockMeta> chosen, long start, long end) {
      this.reader = reader;
      this.blocks = chosen.iterator();
      this.start = start;
      this.end = end;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (pos < current.size()) {
          LogEntry e = current.get(pos++);
          if (e.timestampNanos() >= start && e.timestampNanos() < end) {
            next = e;
          }
        } else if (blocks.hasNext()) {
          current = reader.readBlock(blocks.next().index());
          pos = 0;
        } else {
          return false;
        }
      }
      return true;
    }

    @Override
    public LogEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      LogEntry e = next;
      next = null;
      return e;
    }
  }

  private void skipMissing(ChunkRef ref) {
    missing.incrementAndGet();
    log.warn("chunk {} is listed in the chunk index but missing in the store {} (deleted by retention?); "
        + "the query goes on without it", ref.key(), store);
  }

  private RuntimeException translate(ChunkRef ref, RuntimeException e) {
    if (e instanceof ObjectStoreUnavailableException) {
      return ChunkStoreException.unavailable(store, "reading chunk " + ref.key(), e);
    }
    if (e instanceof ChunkFormatException) {
      return ChunkStoreException.unreadable(e);
    }
    return e;
  }

  /** A chunk's entries, with the store's failures while reading later blocks handled as on opening. */
  private final class Guarded implements Iterator<LogEntry> {
    private final ChunkRef ref;
    private Iterator<LogEntry> entries;

    Guarded(ChunkRef ref, Iterator<LogEntry> entries) {
      this.ref = ref;
      this.entries = entries;
    }

    @Override
    public boolean hasNext() {
      try {
        return entries.hasNext();
      } catch (ObjectNotFoundException e) {
        skipMissing(ref);
        entries = Collections.emptyIterator();
        return false;
      } catch (RuntimeException e) {
        throw translate(ref, e);
      }
    }

    @Override
    public LogEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return entries.next();
    }
  }
}
