package io.fjord.distributor.validation;

/**
 * What validation dropped from a push for one reason in one stream: the whole stream (bad labels)
 * or some of its entries. {@code message} is the first such error, worded like Loki's;
 * {@code entries} counts the entries dropped. Immutable.
 */
public record Rejection(RejectionReason reason, String stream, String message, int entries) {}
