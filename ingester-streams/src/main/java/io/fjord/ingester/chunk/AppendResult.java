package io.fjord.ingester.chunk;

/**
 * What an append did: how many entries it stored and how many it dropped as duplicates of an
 * entry already held (same timestamp, same line). Immutable.
 */
public record AppendResult(int appended, int duplicates) {}
