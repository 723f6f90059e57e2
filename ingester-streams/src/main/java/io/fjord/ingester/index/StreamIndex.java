package io.fjord.ingester.index;

import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The inverted index of one partition, in a RocksDB-backed Kafka Streams state store (layout in
 * {@link IndexKeys}): label name → value → stream fingerprints, and fingerprint → labels with the
 * stream's time range. The store's changelog is disabled: Kafka is the write-ahead log, and the
 * index only describes the streams held in memory, so it is cleared when the partition's task
 * starts and rebuilt with the memory chunks by the task's replay of the logs topic. This is the
 * only class that touches the state-store API.
 *
 * <p>Thread-safety: a single writer (the partition's stream task) and any number of concurrent
 * readers; RocksDB serves both. Every iterator is closed in try-with-resources. The caller keeps
 * readers away once the task closes the store ({@code PartitionState}); a read that still finds
 * the store closed throws {@link IndexUnavailableException}.
 */
public final class StreamIndex {
  public static final String STORE_NAME = "fjord-index";
  private static final byte[] EMPTY = new byte[0];
  private static final BytesSerializer PREFIX = new BytesSerializer();

  private final KeyValueStore<Bytes, byte[]> store;

  public StreamIndex(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  /** The store the topology declares: persistent RocksDB, no changelog, no cache. */
  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingDisabled()
        .withCachingDisabled();
  }

  /** The index of the task {@code context} belongs to. */
  public static StreamIndex of(ProcessingContext context) {
    KeyValueStore<Bytes, byte[]> store = context.getStateStore(STORE_NAME);
    return new StreamIndex(store);
  }

  /** Indexes a new stream: a posting per label and its series row. Writer only. */
  public void add(String tenant, long fingerprint, Labels labels, long minTs, long maxTs) {
    List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(labels.size() + 1);
    for (int i = 0; i < labels.size(); i++) {
      batch.add(KeyValue.pair(Bytes.wrap(IndexKeys.posting(tenant, labels.name(i), labels.value(i), fingerprint)),
          EMPTY));
    }
    batch.add(KeyValue.pair(Bytes.wrap(IndexKeys.series(tenant, fingerprint, labels)),
        IndexKeys.seriesValue(minTs, maxTs)));
    store.putAll(batch);
  }

  /** Rewrites the time range of an indexed stream. Writer only. */
  public void updateRange(String tenant, long fingerprint, Labels labels, long minTs, long maxTs) {
    store.put(Bytes.wrap(IndexKeys.series(tenant, fingerprint, labels)), IndexKeys.seriesValue(minTs, maxTs));
  }

  /** Forgets a stream (when its memory is flushed and dropped). Writer only. */
  public void remove(String tenant, long fingerprint, Labels labels) {
    for (int i = 0; i < labels.size(); i++) {
      store.delete(Bytes.wrap(IndexKeys.posting(tenant, labels.name(i), labels.value(i), fingerprint)));
    }
    store.delete(Bytes.wrap(IndexKeys.series(tenant, fingerprint, labels)));
  }

  /** Every indexed stream of {@code tenant}. */
  public List<IndexedSeries> series(String tenant) {
    return seriesWithPrefix(IndexKeys.seriesPrefix(tenant));
  }

  /** The indexed streams of {@code tenant} with this fingerprint (usually one). */
  public List<IndexedSeries> series(String tenant, long fingerprint) {
    return seriesWithPrefix(IndexKeys.seriesPrefix(tenant, fingerprint));
  }

  private List<IndexedSeries> seriesWithPrefix(byte[] prefix) {
    List<IndexedSeries> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(Bytes.wrap(prefix), PREFIX)) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        IndexKeys.SeriesKey key = IndexKeys.decodeSeries(kv.key.get());
        long[] range = IndexKeys.decodeSeriesValue(kv.value);
        out.add(new IndexedSeries(key.tenant(), key.fingerprint(), key.labels(), range[0], range[1]));
      }
    } catch (InvalidStateStoreException e) {
      throw new IndexUnavailableException("index store " + store.name() + " is not open", e);
    }
    return out;
  }

  /** Every (value, fingerprint) posting of label {@code name} of {@code tenant}. */
  public List<IndexKeys.Posting> postings(String tenant, String name) {
    return postingsWithPrefix(IndexKeys.postingPrefix(tenant, name));
  }

  /** The fingerprints of the streams of {@code tenant} that have {@code name="value"}. */
  public List<IndexKeys.Posting> postings(String tenant, String name, String value) {
    return postingsWithPrefix(IndexKeys.postingPrefix(tenant, name, value));
  }

  private List<IndexKeys.Posting> postingsWithPrefix(byte[] prefix) {
    List<IndexKeys.Posting> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(Bytes.wrap(prefix), PREFIX)) {
      while (it.hasNext()) {
        out.add(IndexKeys.decodePosting(it.next().key.get()));
      }
    } catch (InvalidStateStoreException e) {
      throw new IndexUnavailableException("index store " + store.name() + " is not open", e);
    }
    return out;
  }

  /** Deletes every key; returns how many there were. Writer only (task start-up). */
  public int clear() {
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        keys.add(it.next().key);
      }
    }
    for (Bytes k : keys) {
      store.delete(k);
    }
    return keys.size();
  }
}
