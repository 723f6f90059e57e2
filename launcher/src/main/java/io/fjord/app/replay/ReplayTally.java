package io.fjord.app.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay did: records read and refused (by reason, with the first example's position),
 * entries replayed, duplicates dropped, chunks written or found already stored, bytes written.
 * Single-threaded (the replay's loop); the summary reads it after the loop ends.
 */
final class ReplayTally {
  /** Records refused for one reason: how many, and where the first one was with its message. */
  record Reason(String name, long records, String example) {}

  private final Map<String, long[]> refused = new TreeMap<>();
  private final Map<String, String> examples = new TreeMap<>();
  long records;
  long otherTenants;
  long entries;
  long duplicates;
  long chunksWritten;
  long chunksAlreadyStored;
  long bytesWritten;

  void refuse(String reason, String example) {
    refused.computeIfAbsent(reason, r -> new long[1])[0]++;
    examples.putIfAbsent(reason, example);
  }

  long refusedRecords() {
    return refused.values().stream().mapToLong(c -> c[0]).sum();
  }

  long refused(String reason) {
    long[] c = refused.get(reason);
    return c == null ? 0 : c[0];
  }

  List<Reason> reasons() {
    List<Reason> out = new ArrayList<>();
    refused.forEach((name, c) -> out.add(new Reason(name, c[0], examples.get(name))));
    return out;
  }

  void stored(ChunkStorer.Result r) {
    if (r.outcome() == ChunkStorer.Outcome.WRITTEN) {
      chunksWritten++;
    } else {
      chunksAlreadyStored++;
    }
    bytesWritten += r.bytesWritten();
  }
}
