package io.fjord.querier.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs the tasks of one query on a shared pool with at most {@code maxInFlight} of them running or
 * queued at once, and returns their results in task order. A failure is rethrown as it was thrown
 * (a source's {@code ApiException} keeps its status) and the tasks still pending are cancelled; no
 * task starts once a failure is seen. A single task runs on the caller's thread. Each call is
 * independent; thread-safe.
 */
public final class BoundedParallel {
  private BoundedParallel() {}

  public static <T> List<T> run(ExecutorService pool, int maxInFlight, List<Callable<T>> tasks) {
    if (tasks.size() == 1) {
      try {
        return List.of(tasks.get(0).call());
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    Semaphore permits = new Semaphore(Math.max(1, maxInFlight));
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    try {
      for (Callable<T> task : tasks) {
        permits.acquire();
        if (anyFailed(futures)) {
          permits.release();
          break;
        }
        futures.add(pool.submit(() -> {
          try {
            return task.call();
          } finally {
            permits.release();
          }
        }));
      }
      List<T> out = new ArrayList<>(futures.size());
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running a query's splits", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
  }

  private static boolean anyFailed(List<? extends Future<?>> futures) {
    for (Future<?> f : futures) {
      if (f.isDone()) {
        try {
          f.get();
        } catch (ExecutionException | CancellationException e) {
          return true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return true;
        }
      }
    }
    return false;
  }
}
