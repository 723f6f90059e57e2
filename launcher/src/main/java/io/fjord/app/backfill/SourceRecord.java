package io.fjord.app.backfill;

/**
 * One record of the topic being backfilled, as the core sees it (no Kafka type crosses into the
 * line reading): where it is, its value (null for a tombstone) and its Kafka timestamp. Immutable.
 */
record SourceRecord(int partition, long offset, long timestampMillis, byte[] value) {}
