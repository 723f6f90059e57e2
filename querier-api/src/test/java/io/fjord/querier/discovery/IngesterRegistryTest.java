package io.fjord.querier.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.querier.MutableClock;
import io.fjord.schemas.ingester.IngesterMember;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngesterRegistryTest {
  private static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final IngesterRegistry registry = new IngesterRegistry(Duration.ofSeconds(15), clock);

  @Test
  void anAnnouncementCountsUntilItIsOlderThanTheExpiry() {
    registry.announce("i-1", member("i-1", T0));

    clock.advance(Duration.ofSeconds(15));
    assertThat(registry.live()).extracting(IngesterMember::instance).containsExactly("i-1");

    clock.advance(Duration.ofMillis(1));
    assertThat(registry.live()).isEmpty();
  }

  @Test
  void aNewerHeartbeatKeepsAnIngesterAlive() {
    registry.announce("i-1", member("i-1", T0));
    clock.advance(Duration.ofSeconds(10));
    registry.announce("i-1", member("i-1", clock.instant()));
    clock.advance(Duration.ofSeconds(10));

    assertThat(registry.live()).extracting(IngesterMember::endpoint).containsExactly("http://i-1:3100");
  }

  @Test
  void anAnnouncementAlreadyOlderThanTheExpiryIsIgnored() {
    registry.announce("old", member("old", T0.minusSeconds(16)));
    registry.announce("new", member("new", T0.minusSeconds(1)));

    assertThat(registry.live()).extracting(IngesterMember::instance).containsExactly("new");
  }

  @Test
  void aTombstoneRemovesTheIngester() {
    registry.announce("i-1", member("i-1", T0));
    registry.announce("i-2", member("i-2", T0));

    registry.remove("i-1");

    assertThat(registry.live()).extracting(IngesterMember::instance).containsExactly("i-2");
  }

  @Test
  void liveIngestersAreOrderedByInstance() {
    registry.announce("c", member("c", T0));
    registry.announce("a", member("a", T0));
    registry.announce("b", member("b", T0));

    assertThat(registry.live()).extracting(IngesterMember::instance).containsExactly("a", "b", "c");
  }

  @Test
  void theWatcherAppliesAnnouncementsAndTombstonesAndSkipsWhatItCannotDecode() {
    MembershipWatcher watcher = new MembershipWatcher("127.0.0.1:1", "members", registry);
    IngesterMember good = member("i-1", T0);

    watcher.apply(bytes("i-1"), good.encode(), 0, 0);
    watcher.apply(bytes("i-1"), bytes("{not json"), 0, 1);
    watcher.apply(bytes("i-2"), bytes("{\"version\":99,\"instance\":\"i-2\"}"), 0, 2);
    watcher.apply(null, good.encode(), 0, 3);

    assertThat(registry.live()).containsExactly(good);

    watcher.apply(bytes("i-1"), null, 0, 4);
    assertThat(registry.live()).isEmpty();
    watcher.close();
  }

  private static IngesterMember member(String instance, Instant heartbeat) {
    return new IngesterMember(IngesterMember.VERSION, instance, "http://" + instance + ":3100", List.of(0, 1), true,
        heartbeat.toEpochMilli());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
