package io.fjord.store.index;

import java.util.List;

/**
 * The durable index of flushed chunks, kept in the object store next to the chunks so that it
 * survives the loss of every ingester and querier disk. Writers (ingesters, after a chunk object is
 * stored) add references; readers (queriers) ask for the chunks of a tenant that overlap a time
 * range. A chunk is visible to readers once {@link #add} has returned. Implementations are
 * thread-safe.
 */
public interface ChunkIndex extends AutoCloseable {

  /**
   * Records {@code refs} durably (all of them are in the object store when this returns). Adding a
   * reference that is already there is harmless: readers never see one chunk twice.
   *
   * @throws io.fjord.store.ObjectStoreUnavailableException when the store cannot be written; the
   *     caller retries
   */
  void add(List<ChunkRef> refs);

  /**
   * Every chunk of {@code tenant} that may hold an entry with {@code startNanos <= ts < endNanos},
   * each once, in no particular order.
   *
   * @throws io.fjord.store.ObjectStoreUnavailableException when the store cannot be read
   */
  List<ChunkRef> chunks(String tenant, long startNanos, long endNanos);

  @Override
  void close();
}
