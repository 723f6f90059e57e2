package io.fjord.querier.source.ingester;

import io.fjord.schemas.ingester.IngesterMember;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One round of a request sent to a fixed list of ingesters at once: collects answers and failures
 * as they come and is decided when every call is done, or earlier as soon as the answers in so far
 * cover every partition (with a known partition count), or at the first failure in strict mode (the
 * partition count is unknown, so no failure can be tolerated) or at a 400 (the request itself is bad,
 * asking others will not help). Thread-safe: calls complete on HTTP client threads, one thread awaits.
 *
 * @param <T> the answer type
 */
final class FanOutRound<T> {
  /** An answer and the ingester that gave it. */
  record Answered<T>(IngesterMember member, T answer) {}

  /**
   * The round as it stood when decided (or when the wait ended): answers in member order, failures
   * in the order they happened, members that had not answered, and the failure that ended the round
   * at once, if any.
   */
  record Outcome<T>(List<Answered<T>> answers, List<Throwable> failures, List<IngesterMember> pending,
      Throwable fatal) {}

  private final List<IngesterMember> asked;
  private final int partitionCount;
  private final boolean strict;
  private final Function<T, List<Integer>> partitions;
  private final List<T> answers;
  private final boolean[] done;
  private final List<Throwable> failures = new ArrayList<>();
  private final CompletableFuture<Void> decided = new CompletableFuture<>();
  private final List<CompletableFuture<T>> calls = new ArrayList<>();
  private int doneCount;
  private Throwable fatal;

  /**
   * @param partitionCount the logs topic's partition count; 0 (unknown) makes the round strict
   * @param partitions the partitions an answer lists (null: it does not say)
   */
  FanOutRound(List<IngesterMember> asked, int partitionCount, Function<T, List<Integer>> partitions) {
    this.asked = List.copyOf(asked);
    this.partitionCount = partitionCount;
    this.strict = partitionCount <= 0;
    this.partitions = partitions;
    this.answers = new ArrayList<>(asked.size());
    for (int i = 0; i < asked.size(); i++) {
      answers.add(null);
    }
    this.done = new boolean[asked.size()];
    if (asked.isEmpty()) {
      decided.complete(null);
    }
  }

  /** Starts one call per member; {@code call} sends the request to a member. */
  void start(Function<IngesterMember, CompletableFuture<T>> call) {
    for (int i = 0; i < asked.size(); i++) {
      int index = i;
      CompletableFuture<T> c = call.apply(asked.get(i));
      calls.add(c);
      c.whenComplete((answer, error) -> {
        if (error != null) {
          failed(index, unwrap(error));
        } else {
          answered(index, answer);
        }
      });
    }
  }

  private synchronized void answered(int i, T answer) {
    if (done[i]) {
      return;
    }
    done[i] = true;
    doneCount++;
    answers.set(i, answer);
    check();
  }

  private synchronized void failed(int i, Throwable error) {
    if (done[i]) {
      return;
    }
    done[i] = true;
    doneCount++;
    failures.add(error);
    if (fatal == null && (strict || (error instanceof IngesterException e && e.status() == 400))) {
      fatal = error;
      decided.complete(null);
    }
    check();
  }

  private void check() {
    if (doneCount == asked.size() || coveredSoFar()) {
      decided.complete(null);
    }
  }

  /** Whether the answers in so far are known to cover every partition. */
  private boolean coveredSoFar() {
    if (strict) {
      return false;
    }
    List<List<Integer>> listed = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      if (done[i] && answers.get(i) != null) {
        listed.add(partitions.apply(answers.get(i)));
      }
    }
    return Coverage.of(partitionCount, listed).complete();
  }

  /**
   * Waits until the round is decided or {@code deadlineNanos} ({@link System#nanoTime()}) passes,
   * cancels the calls still running, and returns the round as it stands.
   */
  Outcome<T> await(long deadlineNanos) throws InterruptedException {
    try {
      decided.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // undecided at the deadline: what answered so far is the outcome
    }
    Outcome<T> outcome = snapshot();
    calls.forEach(c -> c.cancel(true));
    return outcome;
  }

  private synchronized Outcome<T> snapshot() {
    List<Answered<T>> in = new ArrayList<>();
    List<IngesterMember> pending = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      if (!done[i]) {
        pending.add(asked.get(i));
      } else if (answers.get(i) != null) {
        in.add(new Answered<>(asked.get(i), answers.get(i)));
      }
    }
    return new Outcome<>(in, List.copyOf(failures), pending, fatal);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
