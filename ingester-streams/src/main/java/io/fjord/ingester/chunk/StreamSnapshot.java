package io.fjord.ingester.chunk;

import java.util.List;

/**
 * What a reader saw of one stream at one moment, restricted to a time range: the sealed blocks that
 * overlap it (still compressed, in arrival order) and a copy of the head entries inside it.
 * Immutable: later appends do not change it.
 */
public record StreamSnapshot(List<Block> blocks, EntryRun head) {
  public StreamSnapshot {
    blocks = List.copyOf(blocks);
  }

  public boolean isEmpty() {
    return blocks.isEmpty() && head.size() == 0;
  }
}
