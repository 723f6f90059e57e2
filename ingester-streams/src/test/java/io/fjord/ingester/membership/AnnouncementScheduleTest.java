package io.fjord.ingester.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.ingester.IngesterMember;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnouncementScheduleTest {
  final AnnouncementSchedule schedule = new AnnouncementSchedule("i-1", 5_000);

  @Test
  void announcesAtOnceThenOncePerHeartbeat() {
    IngesterMember first = schedule.next("http://h:1", List.of(0, 2), false, 1_000);
    assertThat(first).isEqualTo(new IngesterMember(1, "i-1", "http://h:1", List.of(0, 2), false, 1_000));

    assertThat(schedule.next("http://h:1", List.of(0, 2), false, 5_999)).isNull();
    assertThat(schedule.next("http://h:1", List.of(0, 2), false, 6_000)).isNotNull()
        .extracting(IngesterMember::heartbeatMillis).isEqualTo(6_000L);
  }

  @Test
  void announcesEveryChangeOfPartitionsOrReadinessImmediately() {
    schedule.next("http://h:1", List.of(0), false, 1_000);

    assertThat(schedule.next("http://h:1", List.of(0, 1), false, 1_001)).isNotNull();
    assertThat(schedule.next("http://h:1", List.of(0, 1), true, 1_002)).isNotNull()
        .extracting(IngesterMember::ready).isEqualTo(true);
    assertThat(schedule.next("http://h:1", List.of(0, 1), true, 1_003)).isNull();
    assertThat(schedule.next("http://h:1", List.of(), true, 1_004)).isNotNull()
        .extracting(IngesterMember::partitions).isEqualTo(List.of());
  }
}
